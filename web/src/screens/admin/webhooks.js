// "Langganan Webhook": the systems (payroll/TPP, BKN, dashboards) that receive the events, signed
// with their secret; add, disable/enable, replay what failed, delete.
import { useStyles, allPages } from '../help/common.js';
import { etagOf } from '../../api.js';

const EVENT_TYPES = ['EmployeeUpserted', 'PlanSubmitted', 'PlanApproved', 'PlanReturned', 'PlanAmended', 'ActivityLogged',
  'ActivityUpdated', 'ActivityWithdrawn', 'ActivityVerified', 'ActivityCorrected', 'ActivityAnnulled', 'EvaluationOpened',
  'EvaluationSubmitted', 'EvaluationClosed',
  'EvaluationReopened', 'FeedbackGiven', 'UnitPredicateSet', 'CalibrationFinalised'];

export default async function render(root, ctx) {
  useStyles();
  const { api, h, ui } = ctx;
  const url = h('input', { type: 'url', 'data-test': 'webhook-url', placeholder: 'https://tpp.binjaikota.go.id/kinerja/events' });
  const description = h('input', { type: 'text', 'data-test': 'webhook-description' });
  const all = h('input', { type: 'checkbox', id: 'webhook-all', 'data-test': 'webhook-all' });
  const boxes = EVENT_TYPES.map((t) => h('input', { type: 'checkbox', id: `evt-${t}`, value: t }));
  const out = h('div', { 'aria-live': 'polite' });
  const list = h('section', {});
  const create = h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'webhook-create', onClick: async () => {
    const types = all.checked ? ['*'] : boxes.filter((b) => b.checked).map((b) => b.value);
    try {
      const created = await api.post('/api/v1/webhooks', { url: url.value.trim(), event_types: types, description: description.value.trim() || null });
      out.replaceChildren(h('div', { class: 'verdict ok', 'data-test': 'webhook-secret' }, 'Langganan dibuat. Simpan rahasia ini sekarang — ',
        'tidak akan ditampilkan lagi: ', h('code', {}, created.secret)));
      url.value = '';
      await load();
    } catch (err) {
      out.replaceChildren(ui.problemBox(err));
    }
  } }, 'Tambah langganan');
  root.append(
    ui.guide('Sistem lain (TPP, BKN, dasbor daerah) menerima peristiwa lewat webhook bertanda tangan HMAC-SHA256. Setelah gagal '
      + 'berulang kali, langganan dinonaktifkan otomatis; aktifkan lagi lalu kirim ulang yang tertunda.'),
    h('div', { class: 'card' }, ui.field('webhook-url', 'URL penerima', url), ui.field('webhook-description', 'Keterangan', description),
      h('fieldset', { class: 'radio-group' }, h('legend', {}, 'Jenis peristiwa'),
        h('label', { for: 'webhook-all' }, all, ' Semua peristiwa'),
        boxes.map((b) => h('label', { for: b.id }, b, ` ${b.value}`))),
      create, out),
    list);

  async function load() {
    list.replaceChildren(h('h2', {}, 'Langganan'), ui.loading());
    let items;
    try {
      items = await allPages(api, '/api/v1/webhooks', { limit: 100 }, 500);
    } catch (err) {
      list.replaceChildren(h('h2', {}, 'Langganan'), ui.problemBox(err));
      return;
    }
    const action = (label, fn, test) => h('button', { class: 'btn', type: 'button', 'data-test': test, onClick: async (e) => {
      e.currentTarget.disabled = true;
      try {
        await fn();
        await load();
      } catch (err) {
        list.append(ui.problemBox(err));
      }
    } }, label);
    list.replaceChildren(h('h2', {}, `Langganan (${items.length})`), items.length ? h('ul', { class: 'list', 'data-test': 'webhooks' }, items.map((w) =>
      h('li', { 'data-test': 'webhook', 'data-id': w.id },
        h('div', { class: 'head' }, h('strong', {}, w.url), ui.statusBadge(w.status)),
        h('div', { class: 'muted' }, `${w.description || ''} · peristiwa: ${w.event_types.join(', ')} · rahasia ${w.secret_hint}`),
        w.consecutive_failures ? h('p', { class: 'reason' }, `${w.consecutive_failures} kegagalan berturut-turut`) : null,
        w.disabled_reason ? h('p', { class: 'reason' }, `Nonaktif: ${w.disabled_reason}`) : null,
        h('div', { class: 'actions' },
          w.status === 'active' ? action('Nonaktifkan', () => api.post(`/api/v1/webhooks/${w.id}/disable`, {}, { etag: etagOf(w) }), 'webhook-disable')
            : action('Aktifkan', () => api.post(`/api/v1/webhooks/${w.id}/enable`, {}, { etag: etagOf(w) }), 'webhook-enable'),
          w.status === 'active' ? action('Kirim ulang yang gagal', async () => {
            const r = await api.post(`/api/v1/webhooks/${w.id}/replay`, {});
            ui.toast(`${r.replayed} pengiriman dijadwalkan ulang.`);
          }, 'webhook-replay') : null,
          action('Hapus', () => api.del(`/api/v1/webhooks/${w.id}`, { etag: etagOf(w) }), 'webhook-delete')))))
      : ui.empty('Belum ada langganan.'));
  }
  await load();
}
