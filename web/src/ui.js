// Shared pieces of the screens, with every text in Bahasa Indonesia.
import { h } from './dom.js';

const FIELD_NAMES = {
  date: 'Tanggal', start_time: 'Jam mulai', end_time: 'Jam selesai', indicator_id: 'Indikator', description: 'Uraian kegiatan',
  quantity: 'Jumlah', quantity_unit: 'Satuan', evidence: 'Bukti dukung', file: 'Berkas', results: 'Hasil kerja',
  behaviours: 'Perilaku kerja', reason: 'Alasan', year: 'Tahun', nip: 'NIP', approach: 'Pendekatan', model: 'Model',
  results_rating: 'Rating hasil kerja', behaviour_rating: 'Rating perilaku kerja', rating_note: 'Catatan penilai',
  realisation: 'Realisasi', feedback: 'Umpan balik', assessment: 'Penilaian', text: 'Isi', predicate: 'Predikat',
  override_reason: 'Alasan pengecualian', period_id: 'Periode', unit_id: 'Unit kerja', name: 'Nama', email: 'E-mel',
  'Idempotency-Key': 'Kunci pengiriman', 'If-Match': 'Versi data',
  kind: 'Jenis', valid_from: 'Berlaku mulai', valid_to: 'Berlaku sampai', decree_number: 'Nomor surat perintah',
  functional_level: 'Jenjang jabatan fungsional',
  held_on: 'Tanggal dialog', topics: 'Topik dialog', follow_ups: 'Tindak lanjut', participants: 'Peserta', stage: 'Tahap',
  plan_id: 'Rencana (SKP)', evaluation_id: 'Periode penilaian',
};

// A table that may scroll sideways on a phone: focusable, so keyboard users can scroll it too (WCAG 2.1.1).
// Under 600 px every table becomes stacked cards anyway (stackTables below; styles.css "Responsive tables").
export const SCROLL_REGION = { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Tabel (geser ke samping bila terpotong)' };

export function fieldName(field) {
  if (!field) return '';
  const parts = String(field).split('.');
  const known = FIELD_NAMES[field] || FIELD_NAMES[parts[parts.length - 1]];
  return known ? (parts.length > 1 ? `${known} (${field})` : known) : field;
}

const TITLES = {
  0: 'Tidak ada koneksi', 400: 'Permintaan tidak valid', 401: 'Sesi berakhir, silakan masuk lagi', 403: 'Anda tidak berhak',
  404: 'Data tidak ditemukan', 409: 'Terjadi bentrok data', 412: 'Data sudah diubah orang lain; muat ulang',
  413: 'Berkas terlalu besar', 415: 'Jenis berkas tidak didukung', 422: 'Isian belum benar', 429: 'Terlalu banyak permintaan; coba lagi sebentar',
  500: 'Terjadi kesalahan di server', 502: 'Layanan tidak menjawab', 503: 'Layanan sedang tidak tersedia',
};

export function problemTitle(err) {
  const status = err && err.status !== undefined ? err.status : 500;
  return TITLES[status] || (status >= 500 ? TITLES[500] : 'Permintaan gagal');
}

/** A field error's message without the field's name the API already puts in front ("Jumlah (quantity): ..."). */
export function fieldMessage(e) {
  const message = String((e && e.message) || '');
  if (!e || !e.field) return message;
  const named = message.indexOf(`(${e.field}): `);
  if (named >= 0) return message.slice(named + e.field.length + 4);
  return message.startsWith(`${e.field}: `) ? message.slice(e.field.length + 2) : message;
}

/** The correlation id of a failed request, selectable and copyable: what the detail asks to quote. */
function correlationLine(id) {
  const code = h('code', { class: 'correlation-id', 'data-test': 'correlation-id', tabindex: '0' }, id);
  const copy = h('button', {
    type: 'button', class: 'btn', 'data-test': 'copy-correlation-id', 'aria-label': 'Salin ID korelasi',
    onClick: async (event) => {
      const button = event.currentTarget;
      try {
        await navigator.clipboard.writeText(id);
        button.textContent = 'Tersalin';
      } catch (err) { // no clipboard (plain http): select the id for Ctrl+C
        const range = document.createRange();
        range.selectNodeContents(code);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        button.textContent = 'Tekan Ctrl+C';
      }
    },
  }, 'Salin');
  return h('p', { class: 'correlation' }, 'ID korelasi (sebutkan saat melapor): ', code, ' ', copy);
}

/** An ApiError (or any error) as a box: an Indonesian title, the detail, each field error by field name, and the
 *  correlation id to quote when reporting it. */
export function problemBox(err) {
  const p = (err && err.problem) || {};
  const errors = Array.isArray(p.errors) ? p.errors : [];
  const correlationId = (err && err.correlationId) || p.correlation_id || null;
  return h('div', { class: 'problem', role: 'alert', 'data-test': 'problem' },
    h('strong', {}, problemTitle(err)),
    p.detail && !errors.length ? h('p', {}, p.detail) : (!p.detail && err && err.message ? h('p', {}, err.message) : null),
    errors.length ? h('ul', {}, errors.map((e) => h('li', { 'data-field': e.field || '' },
      e.field ? h('b', {}, fieldName(e.field) + ': ') : null, fieldMessage(e)))) : null,
    correlationId ? correlationLine(correlationId) : null);
}

/** Short guidance where the person acts. */
export function guide(text, title = null) {
  return h('aside', { class: 'guide', 'aria-label': 'Petunjuk' }, title ? h('strong', {}, title + ' ') : null, text);
}

export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  if (!box) return;
  const item = h('div', { class: `toast toast-${kind}` }, message);
  while (box.childElementCount >= 2) box.firstElementChild.remove();
  box.append(item);
  setTimeout(() => item.remove(), 3500);
}

const STATUS = {
  draft: ['Draf', 'neutral'], submitted: ['Diajukan', 'info'], approved: ['Disetujui', 'ok'], returned: ['Dikembalikan', 'warn'],
  closed: ['Ditutup', 'neutral'], open: ['Terbuka', 'info'], pending: ['Menunggu verifikasi', 'info'],
  accepted: ['Diterima', 'ok'], verified: ['Diverifikasi', 'ok'], rejected: ['Ditolak', 'bad'], withdrawn: ['Ditarik', 'neutral'],
  queued: ['Menunggu sinkron', 'warn'], sent: ['Terkirim', 'ok'], refused: ['Ditolak', 'bad'],
  proposed: ['Diusulkan', 'info'], finalised: ['Final', 'ok'], active: ['Aktif', 'ok'], disabled: ['Nonaktif', 'neutral'],
  failed: ['Gagal', 'bad'], delivered: ['Terkirim', 'ok'],
};

export function statusLabel(status) {
  return (STATUS[status] || [status || '-'])[0];
}

export function statusBadge(status, testId = null) {
  const [label, tone] = STATUS[status] || [status || '-', 'neutral'];
  return h('span', { class: `badge badge-${tone}`, 'data-status': status, 'data-test': testId }, label);
}

const PREDICATES = {
  SANGAT_BAIK: 'Sangat Baik', BAIK: 'Baik', BUTUH_PERBAIKAN: 'Butuh Perbaikan', KURANG: 'Kurang/Misconduct',
  SANGAT_KURANG: 'Sangat Kurang', ISTIMEWA: 'Istimewa',
};

export function predicateLabel(code) {
  return code ? PREDICATES[code] || code : 'Belum ada';
}

const RATINGS = { above: 'Di Atas Ekspektasi', meets: 'Sesuai Ekspektasi', below: 'Di Bawah Ekspektasi' };

export function ratingLabel(code) {
  return code ? RATINGS[code] || code : '-';
}

const DATE_FMT = new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Jakarta' });
const TIME_FMT = new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Jakarta' });

export function formatDate(value) {
  if (!value) return '-';
  const d = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(value + 'T12:00:00+07:00') : new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : DATE_FMT.format(d);
}

export function formatDateTime(value) {
  if (!value) return '-';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : TIME_FMT.format(d);
}

/** Today's date in WIB as YYYY-MM-DD. */
export function todayIso() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
}

/** A labelled form field: label for=id, the control, and a slot for its error. */
export function field(id, label, control, hint = null) {
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('small', { class: 'hint' }, hint) : null);
}

export function loading(text = 'Memuat…') {
  return h('p', { class: 'muted', role: 'status' }, text);
}

export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

/** Listen to window events while the current screen is shown (removed when the route changes). */
export function listenWhileShown(handlers) {
  for (const [type, fn] of Object.entries(handlers)) window.addEventListener(type, fn);
  const cleanup = () => {
    for (const [type, fn] of Object.entries(handlers)) window.removeEventListener(type, fn);
    window.removeEventListener('hashchange', cleanup);
  };
  window.addEventListener('hashchange', cleanup);
}

/**
 * Responsive tables: under 600 px (styles.css) each row of a table is a card and each cell shows its
 * column's name before its value. This labels the cells (data-label, from the header row) and keeps
 * the table's semantics for screen readers when CSS makes its parts blocks (role table/row/cell).
 * The shell runs it on every table a screen adds (watchTables), so a new screen gets it for free;
 * a table that must stay a grid (the predicate matrix) says data-stack="off".
 */
export function stackTable(table) {
  if (table.dataset.stack === 'off' || table.dataset.stacked === 'true') return;
  const headRow = table.tHead && table.tHead.rows[0];
  const names = headRow ? [...headRow.cells].map((c) => c.textContent.trim()) : [];
  table.setAttribute('role', 'table');
  for (const group of table.querySelectorAll(':scope > thead, :scope > tbody, :scope > tfoot')) group.setAttribute('role', 'rowgroup');
  if (headRow) for (const th of headRow.cells) th.setAttribute('role', 'columnheader');
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      row.setAttribute('role', 'row');
      let column = 0;
      for (const cell of row.cells) {
        cell.setAttribute('role', cell.tagName === 'TH' ? 'rowheader' : 'cell');
        if (!cell.hasAttribute('data-label') && names[column]) cell.setAttribute('data-label', names[column]);
        column += cell.colSpan || 1;
      }
    }
  }
  if (headRow) headRow.setAttribute('role', 'row');
  table.classList.add('stack');
  table.dataset.stacked = 'true';
}

/** Stack every table under `root` now and whenever a screen adds or redraws one. */
export function watchTables(root) {
  const run = () => { for (const t of root.querySelectorAll('table')) stackTable(t); };
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => { queued = false; run(); });
  }).observe(root, { childList: true, subtree: true });
  run();
}
