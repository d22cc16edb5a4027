// "Kiriman SIASN": every record Kinerja owes BKN's SIASN (annual SKP, periodic performance, credit
// points) and its fate: sent (with SIASN's id), waiting, refused with SIASN's message, failed, or
// lacking directory data (the missing fields named). Resend after a fix; the reconciliation per unit
// and year; the dry-run export (the JSON records that would be sent) for a unit and period.
import { useStyles } from '../help/common.js';
import { SCROLL_REGION } from '../../ui.js';

const BASE = '/api/v1/integrations/siasn';
const STATUS = {
  needs_data: ['Kurang data', 'warn'], pending: ['Menunggu kirim', 'info'], sent: ['Terkirim', 'ok'],
  refused: ['Ditolak SIASN', 'bad'], failed: ['Gagal', 'bad'], reopened: ['Dibuka kembali', 'neutral'],
};
const KINDS = { skp22: 'SKP tahunan', kinerjaperiodik: 'Kinerja periodik', angkakredit: 'Angka kredit' };
const RESENDABLE = ['refused', 'failed', 'needs_data', 'sent'];
const FIELDS = {
  'employee.siasn_pns_id': 'ID PNS SIASN pegawai',
  'rater.name': 'nama penilai', 'rater.rank_code': 'kode golongan penilai', 'rater.position': 'jabatan penilai',
  'rater.unit_name': 'unit kerja penilai', rater_nip: 'NIP penilai', 'rater (not in the directory)': 'penilai (tidak ada di direktori)',
};

export default async function render(root, ctx) {
  useStyles();
  const { api, h, ui } = ctx;
  const year = new Date().getFullYear();
  const status = h('select', { id: 'siasn-status', 'data-test': 'siasn-status' },
    h('option', { value: '' }, 'Semua status'), Object.entries(STATUS).map(([v, [label]]) => h('option', { value: v }, label)));
  const unit = h('input', { id: 'siasn-unit', type: 'text', 'data-test': 'siasn-unit', placeholder: 'semua unit' });
  const yearInput = h('input', { id: 'siasn-year', type: 'number', min: '2000', max: '2100', value: String(year), 'data-test': 'siasn-year' });
  const period = h('input', { id: 'siasn-period', type: 'text', 'data-test': 'siasn-period', placeholder: `${year}-Y` });
  const report = h('section', { 'data-test': 'siasn-report' });
  const list = h('section', { 'data-test': 'siasn-records' });
  const out = h('div', { 'aria-live': 'polite' });
  const badge = (s) => {
    const [label, tone] = STATUS[s] || [s, 'neutral'];
    return h('span', { class: `badge badge-${tone}`, 'data-status': s }, label);
  };

  const exportButton = h('button', { class: 'btn', type: 'button', 'data-test': 'siasn-export', onClick: async () => {
    try {
      const doc = await api.get(`${BASE}/export`, { unit_id: unit.value.trim(), period_id: period.value.trim() || `${yearInput.value}-Y` });
      const link = h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' })),
        download: `siasn-${doc.unit_id}-${doc.period_id}.json`, 'data-test': 'siasn-export-link' }, 'Unduh berkas JSON');
      out.replaceChildren(h('p', { class: 'verdict ok', 'data-test': 'siasn-export-summary' },
        `${doc.records.length} rekaman siap dikirim, ${doc.needs_data.length} kurang data. `, link));
      link.click();
    } catch (err) {
      out.replaceChildren(ui.problemBox(err));
    }
  } }, 'Ekspor (uji kering)');

  root.append(
    ui.guide('Hasil penilaian yang ditutup dikirim otomatis ke SIASN BKN: SKP tahunan, kinerja periodik, dan angka kredit. '
      + 'Rekaman yang ditolak SIASN menampilkan pesan SIASN; perbaiki datanya lalu kirim ulang. Rekaman "kurang data" '
      + 'menunggu data direktori (ID PNS SIASN, kode golongan) dan terkirim sendiri begitu data itu diimpor.'),
    h('div', { class: 'card' },
      ui.field('siasn-status', 'Status', status), ui.field('siasn-unit', 'Unit kerja (ID)', unit),
      ui.field('siasn-year', 'Tahun', yearInput),
      h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'siasn-show', onClick: () => load() }, 'Tampilkan')),
      ui.field('siasn-period', 'Periode untuk ekspor (mis. 2026-Y, 2026-Q1)', period),
      h('div', { class: 'actions' }, exportButton), out),
    report, list);

  async function loadReport() {
    report.replaceChildren(h('h2', {}, 'Rekonsiliasi'), ui.loading());
    try {
      const query = { year: yearInput.value };
      if (unit.value.trim()) query.unit_id = unit.value.trim();
      const r = await api.get(`${BASE}/report`, query);
      report.replaceChildren(h('h2', {}, `Rekonsiliasi ${r.year}`), r.units.length ? h('div', SCROLL_REGION,
        h('table', { 'data-test': 'siasn-report-table' },
          h('thead', {}, h('tr', {}, ['Unit', 'Terkirim', 'Menunggu', 'Ditolak', 'Gagal', 'Kurang data'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, r.units.map((u) => h('tr', { 'data-unit': u.unit_id },
            h('th', { scope: 'row' }, u.unit_id), [u.sent, u.waiting, u.refused, u.failed, u.needs_data].map((n) => h('td', {}, String(n))))))))
        : ui.empty('Belum ada rekaman untuk tahun ini.'));
    } catch (err) {
      report.replaceChildren(h('h2', {}, 'Rekonsiliasi'), ui.problemBox(err));
    }
  }

  async function loadRecords() {
    list.replaceChildren(h('h2', {}, 'Rekaman'), ui.loading());
    let page;
    try {
      const query = { limit: 100, year: yearInput.value };
      if (status.value) query.status = status.value;
      if (unit.value.trim()) query.unit_id = unit.value.trim();
      page = await api.get(`${BASE}/records`, query);
    } catch (err) {
      list.replaceChildren(h('h2', {}, 'Rekaman'), ui.problemBox(err));
      return;
    }
    const resend = (r) => h('button', { class: 'btn', type: 'button', 'data-test': 'siasn-resend', onClick: async (e) => {
      e.currentTarget.disabled = true;
      try {
        const after = await api.post(`${BASE}/records/${r.id}/resend`, {});
        ui.toast(after.status === 'needs_data' ? 'Data masih kurang.' : 'Dijadwalkan kirim ulang.');
        await load();
      } catch (err) {
        list.append(ui.problemBox(err));
      }
    } }, 'Kirim ulang');
    list.replaceChildren(h('h2', {}, `Rekaman (${page.items.length})`), page.items.length ? h('ul', { class: 'list' }, page.items.map((r) =>
      h('li', { 'data-test': 'siasn-record', 'data-id': String(r.id), 'data-status': r.status },
        h('div', { class: 'head' }, h('strong', {}, `${KINDS[r.kind] || r.kind} · ${r.period_id}`), badge(r.status)),
        h('div', { class: 'muted' }, `NIP ${r.nip} · unit ${r.unit_id} · revisi ${r.revision}`
          + (r.siasn_id ? ` · ID SIASN ${r.siasn_id}` : '') + (r.document === 'pending' ? ' · dokumen menyusul' : '')
          + (r.document === 'uploaded' ? ' · dokumen terunggah' : '')),
        r.last_error && r.status !== 'sent' ? h('p', { class: 'reason', 'data-test': 'siasn-message' },
          `Pesan SIASN${r.last_status_code ? ` (HTTP ${r.last_status_code})` : ''}: ${r.last_error}`) : null,
        r.missing && r.missing.length ? h('p', { class: 'reason', 'data-test': 'siasn-missing' },
          `Data kurang: ${r.missing.map((f) => FIELDS[f] || f).join(', ')}`) : null,
        RESENDABLE.includes(r.status) ? h('div', { class: 'actions' }, resend(r)) : null)))
      : ui.empty('Tidak ada rekaman.'));
  }

  async function load() {
    await Promise.all([loadReport(), loadRecords()]);
  }
  await load();
}
