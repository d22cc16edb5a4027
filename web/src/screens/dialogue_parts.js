// Pieces of the performance dialogue (dialog kinerja) other screens show: the link to the dialogue
// screen from a plan or an evaluation, and the follow-ups agreed in the previous period's dialogue
// (shown on the next evaluation form).

/** A link to #/dialog for a plan (stage planning) or an evaluation (stage evaluation). */
export function dialogueLink(h, { plan, evaluation = null, label = 'Dialog kinerja' }) {
  const query = new URLSearchParams({ plan, stage: evaluation ? 'evaluation' : 'planning' });
  if (evaluation) query.set('evaluation', evaluation);
  return h('a', { class: 'btn', href: `#/dialog?${query}`, 'data-test': 'dialogue-link' }, label);
}

/** The previous period's confirmed follow-ups of an evaluation form (`dialogue_follow_ups`), or nothing. */
export function followUpsBox(h, ui, items) {
  if (!items || !items.length) return null;
  return h('section', { class: 'card', 'data-test': 'dialogue-follow-ups', 'aria-labelledby': 'dialogue-follow-ups-title' },
    h('h2', { id: 'dialogue-follow-ups-title' }, 'Tindak lanjut dialog kinerja periode lalu'),
    h('ul', {}, items.map((f) => h('li', { 'data-test': 'dialogue-follow-up' },
      h('strong', {}, `${ui.formatDate(f.held_on)} (${f.period_id}): `), f.follow_ups))));
}
