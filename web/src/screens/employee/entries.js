// "Kegiatan Saya": my entries of a month with their verification status and the rater's reasons,
// and what is still waiting on this device to be sent.
import { entries as queued } from '../../offline.js';
import { etagOf } from '../../api.js';
import { loadIndicators, indicatorName } from './indicators.js';

export default async function render(root, { api, h, ui, user }) {
  const month = h('input', { type: 'month', value: ui.todayIso().slice(0, 7) });
  const status = h('select', {},
    h('option', { value: '' }, 'Semua'), h('option', { value: 'pending' }, 'Menunggu verifikasi'),
    h('option', { value: 'accepted' }, 'Diterima'), h('option', { value: 'rejected' }, 'Ditolak'), h('option', { value: 'withdrawn' }, 'Ditarik'));
  const list = h('div', { 'aria-live': 'polite' });
  let indicators = [];
  try {
    indicators = (await loadIndicators(api, user)).items;
  } catch {
    indicators = [];
  }
  root.append(
    ui.guide('Kegiatan yang diterima atasan dihitung sebagai realisasi SKP. Jika ditolak, baca alasannya lalu catat ulang dengan perbaikan.'),
    h('div', { class: 'row' }, ui.field('entries-month', 'Bulan', month), ui.field('entries-status', 'Status', status)), list);

  async function load() {
    list.replaceChildren(ui.loading());
    const waiting = (await queued()).filter((r) => r.state !== 'sent' && r.body.date.startsWith(month.value));
    let items = [];
    let cursor = null;
    try {
      do {
        const page = await api.get('/api/v1/activities', { nip: user.nip, month: month.value, status: status.value, limit: 200, cursor });
        items = items.concat(page.items);
        cursor = page.next_cursor;
      } while (cursor && items.length < 1000);
    } catch (err) {
      list.replaceChildren(ui.problemBox(err));
      return;
    }
    const counts = { pending: 0, accepted: 0, rejected: 0 };
    for (const a of items) counts[a.status] = (counts[a.status] || 0) + 1;
    list.replaceChildren(...[
      h('p', { 'data-test': 'entries-summary' }, `${items.length} kegiatan: ${counts.accepted} diterima, ${counts.pending} menunggu verifikasi, ${counts.rejected} ditolak.`),
      waiting.length ? h('section', {}, h('h2', {}, 'Belum terkirim dari perangkat ini'), h('ul', { class: 'list' }, waiting.map((r) =>
        h('li', { 'data-test': 'queued-entry', 'data-id': r.id }, h('div', { class: 'head' },
          h('strong', {}, `${ui.formatDate(r.body.date)} ${r.body.start_time}–${r.body.end_time}`),
          ui.statusBadge(r.state === 'refused' ? 'refused' : 'queued')), h('div', {}, r.body.description),
          r.reason ? h('p', { class: 'reason' }, `Alasan: ${r.reason}`) : null)))) : null,
      items.length ? h('ul', { class: 'list', 'data-test': 'entries' }, items.map((a) => h('li', { 'data-test': 'entry', 'data-id': a.id, 'data-status': a.status },
        h('div', { class: 'head' }, h('strong', {}, `${ui.formatDate(a.date)} ${a.start_time}–${a.end_time}`), ui.statusBadge(a.status)),
        h('div', {}, a.description),
        h('small', { class: 'muted' }, `${indicatorName(indicators, a.indicator_id)} · ${a.quantity ?? '—'} ${a.quantity_unit || ''}`),
        a.evidence && a.evidence.length ? h('div', {}, h('small', {}, `Bukti dukung: ${a.evidence.length} berkas/tautan`)) : null,
        a.status === 'rejected' ? h('p', { class: 'reason', 'data-test': 'rejection-reason' }, `Alasan penolakan: ${a.verification_reason || '-'}`) : null,
        a.status === 'pending' ? h('div', { class: 'actions' }, h('button', { class: 'btn btn-danger', type: 'button', onClick: async (e) => {
          e.currentTarget.disabled = true;
          try {
            await api.post(`/api/v1/activities/${a.id}/withdraw`, {}, { etag: etagOf(a) });
            ui.toast('Kegiatan ditarik.');
            load();
          } catch (err) {
            e.currentTarget.after(ui.problemBox(err));
          }
        } }, 'Tarik kegiatan')) : null)))
        : ui.empty('Belum ada kegiatan pada bulan ini.')].filter(Boolean));
  }
  month.addEventListener('change', load);
  status.addEventListener('change', load);
  await load();
}
