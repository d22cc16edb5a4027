// "Impor Direktori": the HR master's export (CSV or JSON) is first checked (dry run: what would be
// created, updated or left alone, and every bad row with its line), then imported for real.
// Below it, "Plt./Plh. Kepala Unit": a unit's acting heads, listed, assigned, changed and revoked
// (PATCH and DELETE send If-Match, so a change made meanwhile by another admin is refused, not overwritten).
import { useStyles } from '../help/common.js';
import { SCROLL_REGION } from '../../ui.js';
import { etagOf } from '../../api.js';

const SAMPLE = 'nip;nama;jabatan;unit_id;nip_atasan;email\n'
  + '199208172019031004;Andi Pratama;Perawat Ahli Pertama;dinkes-yankes;198003152005012003;andi.pratama@binjaikota.go.id';
const ACTIONS = { created: 'baru', updated: 'diubah' };
const SECTIONS = { units: 'Unit', employees: 'Pegawai', acting_heads: 'Plt./Plh.' };
const KINDS = { plt: 'Plt. (jabatan kosong)', plh: 'Plh. (kepala berhalangan)' };

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
      ui.field('import-text', 'Atau tempel isi berkas', text, 'Kolom CSV: nip, nama, jabatan, unit_id, nip_atasan, email, jenjang (PT, MU, MA, UT, PM, TR, MH, PY), … (koma, titik koma, atau tab). '
        + 'Plt./Plh. hanya lewat JSON (bagian "acting_heads") atau bagian di bawah.'),
      h('div', { class: 'row' }, ui.field('import-effective', 'Tanggal berlaku mutasi (opsional)', effective),
        ui.field('import-reason', 'Alasan (dicatat di jejak audit)', reason)),
      h('div', { class: 'actions' }, dry, importNow)),
    report,
    actingHeads(ctx));
}

// -- acting heads (Plt., Plh.) of one unit ----------------------------------------------------------

function actingHeads({ api, h, ui }) {
  const unit = h('input', { type: 'text', 'data-test': 'acting-unit', placeholder: 'mis. dinkes-yankes', maxlength: 64 });
  const list = h('div', { 'aria-live': 'polite', 'data-test': 'acting-list' });
  const nip = h('input', { type: 'text', inputmode: 'numeric', maxlength: 18, 'data-test': 'acting-nip' });
  const kind = h('select', { 'data-test': 'acting-kind' }, Object.entries(KINDS).map(([v, t]) => h('option', { value: v }, t)));
  const from = h('input', { type: 'date', 'data-test': 'acting-from', value: ui.todayIso() });
  const to = h('input', { type: 'date', 'data-test': 'acting-to' });
  const decree = h('input', { type: 'text', maxlength: 100, 'data-test': 'acting-decree', placeholder: 'mis. 800/123/BKPSDM/2026' });
  const why = h('input', { type: 'text', maxlength: 2000, 'data-test': 'acting-reason' });
  const message = h('div', { 'aria-live': 'polite', 'data-test': 'acting-message' });
  const base = () => `/api/v1/units/${encodeURIComponent(unit.value.trim())}/acting-heads`;

  async function show() {
    if (!unit.value.trim()) return;
    list.replaceChildren(ui.loading());
    try {
      const { items } = await api.get(base());
      list.replaceChildren(items.length ? table(items) : ui.empty('Unit ini belum pernah memiliki Plt./Plh.'));
    } catch (err) {
      list.replaceChildren(ui.problemBox(err));
    }
  }

  async function attempt(work, done) {
    message.replaceChildren();
    try {
      await work();
      ui.toast(done, 'ok');
      await show();
    } catch (err) {
      message.replaceChildren(ui.problemBox(err));
      if (err.status === 412) await show(); // changed meanwhile: show the current version
    }
  }

  function table(items) {
    return h('div', SCROLL_REGION, h('table', { 'data-test': 'acting-table' },
      h('caption', {}, 'Plt./Plh. unit ini'),
      h('thead', {}, h('tr', {}, ['NIP', 'Nama', 'Jenis', 'Mulai', 'Sampai', 'Nomor SK', 'Status', 'Tindakan']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, items.map((a) => {
        const end = h('input', { type: 'date', value: a.valid_to || '', 'aria-label': `Tanggal akhir ${a.nip}`, 'data-test': 'acting-end' });
        const active = a.status === 'active';
        return h('tr', { 'data-test': 'acting-row', 'data-nip': a.nip, 'data-status': a.status, 'data-today': String(a.acting_today) },
          h('td', {}, a.nip), h('td', {}, a.name || '-'), h('td', {}, a.kind === 'plt' ? 'Plt.' : 'Plh.'),
          h('td', {}, ui.formatDate(a.valid_from)), h('td', {}, active ? end : (a.valid_to ? ui.formatDate(a.valid_to) : 'sampai dicabut')),
          h('td', {}, a.decree_number || '-'),
          h('td', {}, !active ? 'dicabut' : (a.acting_today ? 'berlaku hari ini' : 'tidak berlaku hari ini')),
          h('td', {}, active ? h('div', { class: 'actions' },
            h('button', { type: 'button', class: 'btn', 'data-test': 'acting-save-end', onClick: () => attempt(
              () => api.patch(`${base()}/${a.id}`, { valid_to: end.value || null }, { etag: etagOf(a) }), 'Tanggal akhir disimpan.') },
            'Simpan tanggal akhir'),
            h('button', { type: 'button', class: 'btn', 'data-test': 'acting-revoke', onClick: () => attempt(
              () => api.del(`${base()}/${a.id}`, { etag: etagOf(a) }), 'Penunjukan dicabut.') }, 'Cabut')) : '-'));
      }))));
  }

  const add = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'acting-add', onClick: () => attempt(
    () => api.post(base(), { nip: nip.value.trim(), kind: kind.value, valid_from: from.value || null, valid_to: to.value || null,
      decree_number: decree.value.trim() || null, reason: why.value.trim() || null }), 'Plt./Plh. ditunjuk.') }, 'Tunjuk');

  return h('section', { class: 'card', 'aria-labelledby': 'acting-title' },
    h('h2', { id: 'acting-title' }, 'Plt./Plh. Kepala Unit'),
    ui.guide('Plt. mengisi jabatan kepala yang kosong; Plh. menggantikan kepala yang berhalangan (unit yang punya kepala definitif '
      + 'hanya dapat Plh.). Selama rentang tanggalnya (kedua ujung termasuk) ia memiliki hak kepala di unit itu dan unit di bawahnya, '
      + 'sesudahnya tidak. Satu unit hanya boleh punya satu Plt./Plh. aktif pada hari yang sama.'),
    h('div', { class: 'row' }, ui.field('acting-unit', 'ID unit', unit),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn', 'data-test': 'acting-show', onClick: show }, 'Tampilkan'))),
    list,
    h('h3', {}, 'Tunjuk Plt./Plh. baru'),
    h('div', { class: 'row' }, ui.field('acting-nip', 'NIP pegawai', nip), ui.field('acting-kind', 'Jenis', kind)),
    h('div', { class: 'row' }, ui.field('acting-from', 'Berlaku mulai', from),
      ui.field('acting-to', 'Berlaku sampai', to, 'Kosongkan bila sampai dicabut.')),
    h('div', { class: 'row' }, ui.field('acting-decree', 'Nomor surat perintah (opsional)', decree),
      ui.field('acting-reason', 'Alasan (dicatat di jejak audit)', why)),
    h('div', { class: 'actions' }, add),
    message);
}

function summaryText(summary) {
  const part = (c) => `${c.created} baru, ${c.updated} diubah, ${c.unchanged} tetap`;
  const acting = summary.acting_heads && (summary.acting_heads.created + summary.acting_heads.updated + summary.acting_heads.unchanged)
    ? `; Plt./Plh. ${part(summary.acting_heads)}` : '';
  return `unit ${part(summary.units)}; pegawai ${part(summary.employees)}${acting}`;
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
