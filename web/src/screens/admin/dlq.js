// "Antrean Gagal (DLQ)": per service, the events its consumer could not apply (dead letters): how
// many, how many still wait for a replay, and the latest reasons. Read-only: replaying is an
// operator's command once the cause is fixed (docs/operations.md, "Dead letters").
import { useStyles } from '../help/common.js';

const SERVICES = ['plan-service', 'activity-service', 'evaluation-service', 'notification-service'];

export default async function render(root, ctx) {
  useStyles();
  const { api, h, ui } = ctx;
  const body = h('div', { 'data-test': 'dlq' });
  root.append(
    ui.guide('Peristiwa yang gagal diproses sebuah layanan disimpan di antrean gagal (dead-letter) beserta alasannya, dan layanan '
      + 'tetap berjalan. Bila "menunggu" lebih dari 0, minta operator memperbaiki penyebabnya lalu menjalankan '
      + '"<layanan> dlq replay" (lihat panduan operasi).'),
    h('div', { class: 'actions' }, h('button', { class: 'btn', type: 'button', 'data-test': 'dlq-refresh', onClick: () => load() }, 'Perbarui')),
    body);

  async function load() {
    body.replaceChildren(ui.loading());
    const answers = await Promise.all(SERVICES.map((s) => api.get(`/svc/${s}/api/v1/dlq`, { last: 5 })
      .then((v) => ({ service: s, value: v }), (err) => ({ service: s, err }))));
    body.replaceChildren(...answers.map(({ service, value, err }) => h('section', { class: 'card', 'data-test': 'dlq-service', 'data-service': service },
      h('h2', {}, service),
      err ? ui.problemBox(err) : [
        h('p', { class: value.waiting ? 'verdict bad' : 'verdict ok', 'data-test': 'dlq-summary', 'data-waiting': value.waiting },
          value.waiting ? `${value.waiting} peristiwa menunggu diproses ulang (dari ${value.messages} di antrean).`
            : `Tidak ada yang menunggu${value.messages ? ` (${value.messages} sudah diproses ulang)` : ''}.`),
        value.topics.map((t) => h('details', { open: t.waiting > 0 },
          h('summary', {}, `${t.source_topic}: ${t.messages} pesan, ${t.waiting} menunggu`),
          t.last.length ? h('ul', {}, t.last.map((m) => h('li', { 'data-test': 'dlq-message' },
            h('strong', {}, m.type || 'tanpa jenis'), ` · ${m.failed_at ? ui.formatDateTime(m.failed_at) : ''} · `,
            m.replayed ? ui.statusBadge('sent') : ui.statusBadge('failed'), h('div', { class: 'reason' }, m.reason || '-'),
            h('small', { class: 'muted' }, `asal ${m.original}`)))) : h('p', { class: 'muted' }, t.exists ? 'Kosong.' : 'Belum pernah ada.'))),
      ])));
  }
  await load();
}
