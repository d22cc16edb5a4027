// "Umpan Balik Berkelanjutan": the rater gives feedback to a person they rate, on one result of their
// plan, on one BerAKHLAK value, or in general; it shows on the person's next evaluation form.
import { useStyles, allPages, subordinates, personName } from '../help/common.js';

const BEHAVIOURS = [['service', 'Berorientasi Pelayanan'], ['accountable', 'Akuntabel'], ['competent', 'Kompeten'],
  ['harmonious', 'Harmonis'], ['loyal', 'Loyal'], ['adaptive', 'Adaptif'], ['collaborative', 'Kolaboratif']];

export default async function render(root, ctx) {
  useStyles();
  const { api, h, ui, user } = ctx;
  const people = await subordinates(api, user.nip).catch(() => new Map());
  const person = h('select', { 'data-test': 'feedback-person' }, h('option', { value: '' }, 'Pilih pegawai'),
    [...people.values()].map((p) => h('option', { value: p.nip }, `${p.name} (${p.nip})`)));
  const about = h('select', { 'data-test': 'feedback-about' }, h('option', { value: '' }, 'Umum'));
  const text = h('textarea', { rows: 3, 'data-test': 'feedback-text' });
  const out = h('div', { 'aria-live': 'polite' });
  const history = h('section', { 'aria-labelledby': 'feedback-history' });

  person.addEventListener('change', async () => {
    about.replaceChildren(h('option', { value: '' }, 'Umum'));
    if (!person.value) return;
    try {
      const plans = await api.get('/api/v1/plans', { nip: person.value, status: 'approved', limit: 5 });
      const plan = plans.items[0];
      if (plan) {
        about.append(h('optgroup', { label: `Hasil kerja SKP ${plan.year}` }, plan.results.map((r) => h('option', { value: `result:${r.result_id}` }, r.text))));
      }
    } catch {
      /* results are optional: general and behaviour feedback still work */
    }
    about.append(h('optgroup', { label: 'Perilaku kerja (BerAKHLAK)' }, BEHAVIOURS.map(([v, n]) => h('option', { value: `behaviour:${v}` }, n))));
  });

  const send = h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'send-feedback', onClick: async () => {
    const [kind, value] = about.value ? about.value.split(':') : [null, null];
    send.disabled = true;
    try {
      await api.post('/api/v1/feedback', { nip: person.value, text: text.value.trim(), result_id: kind === 'result' ? value : null,
        behaviour_value: kind === 'behaviour' ? value : null });
      ui.toast('Umpan balik terkirim.');
      text.value = '';
      out.replaceChildren();
      await loadHistory();
    } catch (err) {
      out.replaceChildren(ui.problemBox(err));
    } finally {
      send.disabled = false;
    }
  } }, 'Kirim umpan balik');

  root.append(
    ui.guide('Umpan balik yang sering dan spesifik membantu pegawai memperbaiki kinerja sebelum penilaian. Sebutkan apa yang dilakukan, '
      + 'dampaknya, dan apa yang diharapkan. Pegawai menerima notifikasi dan umpan balik muncul di formulir penilaian berikutnya.'),
    h('div', { class: 'card' }, ui.field('feedback-person', 'Pegawai', person), ui.field('feedback-about', 'Tentang', about),
      ui.field('feedback-text', 'Umpan balik', text), send, out),
    history);

  async function loadHistory() {
    history.replaceChildren(h('h2', { id: 'feedback-history' }, 'Umpan balik yang sudah Anda berikan'), ui.loading());
    try {
      const items = (await allPages(api, '/api/v1/feedback', { limit: 100 }, 100)).filter((f) => f.rater_nip === user.nip);
      history.replaceChildren(h('h2', { id: 'feedback-history' }, 'Umpan balik yang sudah Anda berikan'),
        items.length ? h('ul', { class: 'list', 'data-test': 'feedback-given' }, items.map((f) => h('li', { 'data-test': 'feedback-item' },
          h('div', { class: 'head' }, h('strong', {}, personName(people, f.nip)), h('small', { class: 'muted' }, ui.formatDateTime(f.given_at))),
          h('div', {}, f.text),
          f.behaviour_value ? h('small', { class: 'muted' }, `Perilaku: ${(BEHAVIOURS.find(([v]) => v === f.behaviour_value) || [])[1]}`) : null)))
          : ui.empty('Belum ada.'));
    } catch (err) {
      history.append(ui.problemBox(err));
    }
  }
  await loadHistory();
}
