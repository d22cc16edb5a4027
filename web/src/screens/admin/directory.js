// "Impor Direktori": the HR master's export (CSV or JSON) is first checked (dry run: what would be
// created, updated or left alone, and every bad row with its line), then imported for real.
import { useStyles } from '../help/common.js';
import { SCROLL_REGION } from '../../ui.js';

const SAMPLE = 'nip;nama;jabatan;unit_id;nip_atasan;email\n'
  + '199208172019031004;Andi Pratama;Perawat Ahli Pertama;dinkes-yankes;198003152005012003;andi.pratama@binjaikota.go.id';
const ACTIONS = { created: 'baru', updated: 'diubah' };
const SECTIONS = { units: 'Unit', employees: 'Pegawai' };

export default async function render(root, ctx) {
  useStyles();
  const { api, h, ui } = ctx;
  const file = h('input', { type: 'file', accept: '.csv,.json,text/csv,application/json', 'data-test': 'import-file' });
  const text = h('textarea', { rows: 6, 'data-test': 'import-text', placeholder: SAMPLE });
  const effective = h('input', { type: 'date', 'data-test': 'import-effective' });
  const reason = h('input', { type: 'text', 'data-test': 'import-reason', placeholder: 'mis. pemutakhiran data SIASN November' });
  const report = h('div', { 'aria-live': 'polite', 'data-test': 'import-report' });
  let checked = null; // the payload the last dry run accepted

  function payload() {
    const form = new FormData();
    if (file.files && file.files[0]) {
      form.append('file', file.files[0]);
      return form;
    }
    if (!text.value.trim()) return null;
    const isJson = /^\s*[[{]/.test(text.value);
    form.append('file', new Blob([text.value], { type: isJson ? 'application/json' : 'text/csv' }), isJson ? 'direktori.json' : 'direktori.csv');
    return form;
  }

  function signature() {
    return file.files && file.files[0] ? `file:${file.files[0].name}:${file.files[0].size}:${file.files[0].lastModified}` : `text:${text.value}`;
  }

  async function send(dryRun) {
    const form = payload();
    if (!form) {
      report.replaceChildren(ui.problemBox({ status: 422, problem: { errors: [{ field: 'file', message: 'pilih berkas atau tempel isinya' }] } }));
      return null;
    }
    const query = new URLSearchParams({ dry_run: String(dryRun) });
    if (effective.value) query.set('effective_date', effective.value);
    if (reason.value.trim()) query.set('reason', reason.value.trim());
    return api.upload(`/api/v1/directory/imports?${query}`, form);
  }

  const importNow = h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'import-apply', disabled: true, onClick: async () => {
    if (checked !== signature()) {
      importNow.disabled = true;
      report.prepend(ui.problemBox({ status: 409, problem: { detail: 'Isi berubah sejak diperiksa: periksa lagi dulu.' } }));
      return;
    }
    importNow.disabled = true;
    try {
      const answer = await send(false);
      report.replaceChildren(...[h('p', { class: 'verdict ok', 'data-test': 'import-applied' },
        `Impor selesai: ${summaryText(answer.summary)}. ${answer.events_published} perubahan diumumkan ke layanan lain.`),
      answer.plans_closed.length ? h('p', {}, `SKP ditutup karena mutasi: ${answer.plans_closed.length}.`) : null,
      answer.plans_retargeted.length ? h('p', {}, `SKP dengan pejabat penilai baru: ${answer.plans_retargeted.length}.`) : null].filter(Boolean));
      checked = null;
    } catch (err) {
      report.replaceChildren(ui.problemBox(err));
    }
  } }, 'Impor sekarang');

  const dry = h('button', { class: 'btn', type: 'button', 'data-test': 'import-dry-run', onClick: async () => {
    dry.disabled = true;
    importNow.disabled = true;
    report.replaceChildren(ui.loading('Memeriksa…'));
    try {
      const answer = await send(true);
      if (answer) {
        report.replaceChildren(...dryRunReport(h, ui, answer));
        checked = answer.valid ? signature() : null;
        importNow.disabled = !answer.valid;
      }
    } catch (err) {
      report.replaceChildren(ui.problemBox(err));
    } finally {
      dry.disabled = false;
    }
  } }, 'Periksa (uji coba)');

  file.addEventListener('change', () => { importNow.disabled = true; });
  text.addEventListener('input', () => { importNow.disabled = true; });

  root.append(
    ui.guide('Langkah 1: pilih berkas ekspor SIASN/SIMPEG (CSV atau JSON) atau tempel isinya. Langkah 2: "Periksa" — tidak ada data '
      + 'yang diubah; laporan menunjukkan yang akan dibuat, diubah, dan setiap baris yang salah beserta nomor barisnya. '
      + 'Langkah 3: bila tidak ada kesalahan, "Impor sekarang". Mengimpor berkas yang sama dua kali tidak mengubah apa pun.'),
    h('div', { class: 'card' },
      ui.field('import-file', 'Berkas (CSV atau JSON)', file),
      ui.field('import-text', 'Atau tempel isi berkas', text, 'Kolom CSV: nip, nama, jabatan, unit_id, nip_atasan, email, … (koma, titik koma, atau tab).'),
      h('div', { class: 'row' }, ui.field('import-effective', 'Tanggal berlaku mutasi (opsional)', effective),
        ui.field('import-reason', 'Alasan (dicatat di jejak audit)', reason)),
      h('div', { class: 'actions' }, dry, importNow)),
    report);
}

function summaryText(summary) {
  const part = (c) => `${c.created} baru, ${c.updated} diubah, ${c.unchanged} tetap`;
  return `unit ${part(summary.units)}; pegawai ${part(summary.employees)}`;
}

function dryRunReport(h, ui, r) {
  return [
    h('p', { class: r.valid ? 'verdict ok' : 'verdict bad', 'data-test': 'dry-run-verdict', 'data-valid': String(r.valid) },
      r.valid ? `Berkas dapat diimpor: ${summaryText(r.summary)}.` : `${r.errors.length} baris bermasalah: perbaiki berkasnya lalu periksa lagi. Tidak ada yang diimpor.`),
    r.errors.length ? h('div', SCROLL_REGION, h('table', { 'data-test': 'dry-run-errors' },
      h('caption', {}, 'Baris yang salah'),
      h('thead', {}, h('tr', {}, ['Baris', 'Bagian', 'NIP/unit', 'Kolom', 'Masalah'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, r.errors.map((e) => h('tr', { 'data-test': 'dry-run-error', 'data-line': e.line ?? '' },
        h('td', {}, e.line ?? '-'), h('td', {}, SECTIONS[e.section] || e.section), h('td', {}, e.key || '-'),
        h('td', {}, ui.fieldName(e.field)), h('td', {}, ui.fieldMessage(e)))))))
      : null,
    r.changes.length ? h('div', SCROLL_REGION, h('table', { 'data-test': 'dry-run-changes' },
      h('caption', {}, `Perubahan (${r.changes.length})`),
      h('thead', {}, h('tr', {}, ['Baris', 'Bagian', 'NIP/unit', 'Tindakan', 'Kolom yang berubah'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, r.changes.slice(0, 200).map((c) => h('tr', {}, h('td', {}, c.line ?? '-'), h('td', {}, SECTIONS[c.section] || c.section),
        h('td', {}, c.key), h('td', {}, ACTIONS[c.action] || c.action), h('td', {}, (c.changed || []).join(', ')))))))
      : h('p', { class: 'muted' }, 'Tidak ada perubahan: data sudah sama dengan berkas.'),
    r.ignored_columns.length ? h('p', { class: 'muted' }, `Kolom yang diabaikan: ${r.ignored_columns.join(', ')}.`) : null,
  ].filter(Boolean);
}
