// "Dialog Kinerja": the performance dialogue between an employee and the rater, when the plan is set
// (perencanaan) and when a period is evaluated (penilaian). Either records the date, who took part,
// the topics and the agreed follow-ups; the other confirms. Reached from the plan, the employee's
// evaluations and the rater's evaluation form with #/dialog?plan=...&stage=...&evaluation=...
import { hashParams, subordinates } from './help/common.js';
import { etagOf } from '../api.js';

const STAGES = { planning: 'Perencanaan', evaluation: 'Penilaian' };
const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

export default async function render(root, ctx) {
  const { api, h, ui, user, isRater } = ctx;
  const params = hashParams();
  const [own, rated, people] = await Promise.all([
    api.get('/api/v1/plans', { nip: user.nip, status: 'approved', limit: 20 }).then((p) => p.items).catch(() => []),
    isRater ? api.get('/api/v1/plans', { rater_nip: user.nip, status: 'approved', limit: 200 }).then((p) => p.items).catch(() => []) : [],
    isRater ? subordinates(api, user.nip).catch(() => new Map()) : new Map(),
  ]);
  people.set(user.nip, { nip: user.nip, name: user.name || user.nip });
  const nameOf = (nip) => (people.get(nip) || {}).name || nip;
  const plans = [...own, ...rated.filter((p) => p.nip !== user.nip)];

  const plan = h('select', { 'data-test': 'dialogue-plan' },
    plans.map((p) => h('option', { value: p.id, selected: p.id === params.get('plan') },
      `${p.nip === user.nip ? 'SKP saya' : nameOf(p.nip)} · ${p.year}`)));
  const stage = h('select', { 'data-test': 'dialogue-stage' }, Object.entries(STAGES).map(([v, label]) =>
    h('option', { value: v, selected: v === (params.get('stage') || 'planning') }, label)));
  const evaluation = h('select', { 'data-test': 'dialogue-evaluation' });
  const evaluationField = ui.field('dialogue-evaluation', 'Periode penilaian', evaluation);
  const heldOn = h('input', { type: 'date', value: ui.todayIso(), max: ui.todayIso(), required: true, 'data-test': 'dialogue-held-on' });
  const others = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', 'data-test': 'dialogue-participants' });
  const topics = h('textarea', { rows: 3, maxlength: 2000, required: true, 'data-test': 'dialogue-topics' });
  const followUps = h('textarea', { rows: 3, maxlength: 2000, 'data-test': 'dialogue-follow-ups' });
  const out = h('div', { 'aria-live': 'polite' });
  const list = h('section', { 'aria-labelledby': 'dialogue-list-title' });
  let key = newKey();

  async function loadEvaluations() {
    const chosen = plans.find((p) => p.id === plan.value);
    evaluationField.hidden = stage.value !== 'evaluation';
    if (!chosen || stage.value !== 'evaluation') return;
    try {
      const page = await api.get('/api/v1/evaluations', { nip: chosen.nip, limit: 50 });
      const items = page.items.filter((e) => e.plan_id === chosen.id);
      evaluation.replaceChildren(...items.map((e) => h('option', { value: e.id, selected: e.id === params.get('evaluation') },
        `${e.period.id} (${ui.statusLabel(e.status)})`)));
    } catch (err) {
      out.replaceChildren(ui.problemBox(err));
    }
  }
  plan.addEventListener('change', loadEvaluations);
  stage.addEventListener('change', loadEvaluations);

  const save = h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'dialogue-save', onClick: async () => {
    save.disabled = true;
    const participants = others.value.split(/[\s,;]+/).filter(Boolean);
    const body = { plan_id: plan.value, stage: stage.value, held_on: heldOn.value, topics: topics.value,
      follow_ups: followUps.value.trim() || null, participants };
    if (stage.value === 'evaluation') body.evaluation_id = evaluation.value || null;
    try {
      await api.post('/api/v1/dialogues', body, { idempotencyKey: key });
      key = newKey();
      ui.toast('Dialog kinerja tercatat; menunggu konfirmasi pihak lain.');
      topics.value = '';
      followUps.value = '';
      others.value = '';
      out.replaceChildren();
      await loadList();
    } catch (err) {
      if (err.status !== 0) key = newKey(); // a refused record was answered: the corrected one is a new request
      out.replaceChildren(ui.problemBox(err));
    } finally {
      save.disabled = false;
    }
  } }, 'Simpan dialog');

  root.append(
    ui.guide('Pegawai dan pejabat penilai berdialog saat menyusun SKP dan saat penilaian periodik. Catat tanggal, topik, dan tindak lanjut '
      + 'yang disepakati; pihak lain mengonfirmasi. Tindak lanjut yang sudah dikonfirmasi muncul di formulir penilaian periode berikutnya.'),
    plans.length ? h('section', { class: 'card', 'aria-labelledby': 'dialogue-form-title' },
      h('h2', { id: 'dialogue-form-title' }, 'Catat dialog kinerja'),
      ui.field('dialogue-plan', 'Rencana kinerja (SKP)', plan), ui.field('dialogue-stage', 'Tahap', stage), evaluationField,
      ui.field('dialogue-held-on', 'Tanggal dialog', heldOn),
      ui.field('dialogue-topics', 'Topik yang dibahas', topics),
      ui.field('dialogue-follow-ups', 'Tindak lanjut yang disepakati', followUps, 'Boleh kosong.'),
      ui.field('dialogue-participants', 'NIP peserta lain', others, 'Pegawai dan pejabat penilai selalu ikut; pisahkan beberapa NIP dengan koma.'),
      h('div', { class: 'actions' }, save), out)
      : ui.empty('Belum ada SKP yang disetujui untuk dicatat dialognya.'),
    list);
  await loadEvaluations();

  async function loadList() {
    const title = h('h2', { id: 'dialogue-list-title' }, 'Dialog kinerja');
    list.replaceChildren(title, ui.loading());
    try {
      const page = await api.get('/api/v1/dialogues', { limit: 50, plan_id: params.get('plan') || undefined });
      list.replaceChildren(title, page.items.length
        ? h('ul', { class: 'list', 'data-test': 'dialogues' }, page.items.map((d) => item(d)))
        : ui.empty('Belum ada dialog kinerja yang dicatat.'));
    } catch (err) {
      list.replaceChildren(title, ui.problemBox(err));
    }
  }

  function item(d) {
    const status = d.status === 'confirmed' ? h('span', { class: 'badge badge-ok', 'data-test': 'dialogue-status', 'data-status': d.status }, 'Dikonfirmasi')
      : h('span', { class: 'badge badge-info', 'data-test': 'dialogue-status', 'data-status': d.status }, 'Menunggu konfirmasi');
    const problem = h('div', { 'aria-live': 'polite' });
    const confirm = d.awaiting === user.nip ? h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'dialogue-confirm',
      onClick: async () => {
        confirm.disabled = true;
        try {
          await api.post(`/api/v1/dialogues/${d.id}/confirm`, {}, { etag: etagOf(d) });
          ui.toast('Dialog kinerja dikonfirmasi.');
          await loadList();
        } catch (err) {
          confirm.disabled = false;
          problem.replaceChildren(ui.problemBox(err));
        }
      } }, 'Konfirmasi') : null;
    const names = d.participants.map((p) => p.name || p.nip).join(', ');
    return h('li', { 'data-test': 'dialogue', 'data-id': d.id, 'data-status': d.status },
      h('div', { class: 'head' }, h('strong', {}, `${STAGES[d.stage] || d.stage} · ${ui.formatDate(d.held_on)} · ${d.period_id}`), status),
      h('p', {}, h('b', {}, 'Peserta: '), names),
      h('p', {}, h('b', {}, 'Topik: '), d.topics),
      d.follow_ups ? h('p', {}, h('b', {}, 'Tindak lanjut: '), d.follow_ups) : null,
      d.awaiting ? h('p', { class: 'muted' }, `Menunggu konfirmasi ${d.awaiting === user.nip ? 'Anda' : nameOf(d.awaiting)}.`) : null,
      d.revision > 1 ? h('p', { class: 'muted' }, `Revisi ${d.revision}: ${d.correction_reason || ''}`) : null,
      confirm ? h('div', { class: 'actions' }, confirm) : null, problem);
  }
  await loadList();
}
