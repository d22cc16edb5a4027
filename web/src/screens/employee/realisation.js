// "Realisasi Kinerja": the employee's realisation of an open period (#/realisasi?id=<evaluation>): per result the
// system's figures, the realisation (prefilled from verified activities), a short narrative and the evidence
// (bukti dukung): links, evidence picked from verified activities, uploaded files. Save a draft, then submit
// it to the rater before the deadline; a submitted one is locked unless the rater returns it.
import { hashParams } from '../help/common.js';
import { SCROLL_REGION } from '../../ui.js';

const KIND = { monthly: 'Bulanan', quarterly: 'Triwulan', annual: 'Tahunan' };
const STATUS = {
  not_started: 'Belum diisi', draft: 'Draf (belum diajukan)', submitted: 'Sudah diajukan', returned: 'Dikembalikan penilai',
};
const ROUTE = 'realisasi';

export default async function render(root, ctx) {
  const { api, h, ui, user } = ctx;
  let open;
  try {
    open = (await api.get('/api/v1/evaluations', { nip: user.nip, status: 'open', limit: 50 })).items
      .filter((e) => e.period.kind !== 'annual')
      .sort((a, b) => a.period.start.localeCompare(b.period.start));
  } catch (err) {
    root.append(ui.problemBox(err));
    return;
  }
  root.append(ui.guide('Sampaikan realisasi setiap hasil kerja beserta narasi singkat dan bukti dukung sebelum pejabat penilai menilai. '
    + 'Realisasi sudah diisi dari kegiatan harian yang terverifikasi; ubah bila perlu, simpan draf, lalu ajukan.'));
  if (!open.length) {
    root.append(ui.empty('Tidak ada periode penilaian yang terbuka untuk Anda saat ini.'));
    return;
  }
  const id = hashParams().get('id') || open[0].id;
  if (open.length > 1) {
    root.append(h('nav', { 'aria-label': 'Periode terbuka', class: 'actions' }, open.map((e) => h('a', {
      class: e.id === id ? 'btn btn-primary' : 'btn', href: `#/${ROUTE}?id=${e.id}`, 'aria-current': e.id === id ? 'page' : null,
      'data-test': 'realisation-period', 'data-id': e.id,
    }, `${KIND[e.period.kind] || e.period.kind} ${e.period.id}`))));
  }
  const box = h('div', {});
  root.append(box);
  await renderForm(box, ctx, id);
}

function evidenceLabel(e) {
  if (e.kind === 'file') return `Berkas: ${e.name || e.file_id}`;
  if (e.kind === 'activity') return `Dari kegiatan: ${e.name || e.url || e.file_id}`;
  return `Tautan: ${e.name || e.url}`;
}

function evidenceLink(h, e) {
  const href = e.download || e.url;
  return href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, evidenceLabel(e)) : evidenceLabel(e);
}

async function renderForm(box, ctx, id) {
  const { api, h, ui } = ctx;
  box.replaceChildren(ui.loading());
  let d;
  let etag;
  try {
    ({ body: d, etag } = await api.getWithEtag(`/api/v1/evaluations/${id}/realisation`));
  } catch (err) {
    box.replaceChildren(ui.problemBox(err));
    return;
  }
  const reload = () => renderForm(box, ctx, id);
  const editable = d.may_edit;
  const out = h('div', { 'aria-live': 'polite' });
  const header = h('section', { class: 'card', 'data-test': 'realisation-form', 'data-status': d.status, 'data-id': d.evaluation_id },
    h('h2', {}, `Realisasi ${KIND[d.period.kind] || d.period.kind} ${d.period.id}`),
    h('p', {}, 'Status: ', h('strong', { 'data-test': 'realisation-status' }, STATUS[d.status] || d.status)),
    h('p', {}, `Batas waktu penyampaian: ${ui.formatDate(d.deadlines.realisation)} · penilaian oleh penilai paling lambat `
      + `${ui.formatDate(d.deadlines.evaluation)}`),
    d.overdue ? h('p', { class: 'verdict bad', 'data-test': 'realisation-overdue' },
      'Batas waktu sudah lewat: penilai dapat menilai tanpa realisasi Anda.') : null,
    d.status === 'returned' && d.return_reason ? h('p', { class: 'verdict bad', 'data-test': 'return-reason' },
      `Dikembalikan penilai: ${d.return_reason}`) : null,
    !editable && d.evaluation_status !== 'open' ? h('p', { class: 'muted' }, 'Penilai sudah menilai periode ini.') : null);
  box.replaceChildren(header);

  const pickable = d.activity_evidence || [];
  const entries = [];
  for (const [index, r] of d.results.entries()) {
    const realisation = h('textarea', { rows: 3, maxlength: 1000, disabled: !editable, 'data-test': `employee-realisation-${index}` });
    realisation.value = r.realisation || '';
    const narrative = h('textarea', { rows: 3, maxlength: 2000, disabled: !editable, 'data-test': `employee-narrative-${index}` });
    narrative.value = r.narrative || '';
    const entry = { result_id: r.result_id, realisation, narrative, evidence: [...r.evidence] };
    entries.push(entry);
    const list = h('ul', { class: 'list', 'data-test': `evidence-list-${index}` });
    const drawList = () => list.replaceChildren(...(entry.evidence.length ? entry.evidence.map((e, j) => h('li', { 'data-test': 'evidence-item', 'data-kind': e.kind },
      evidenceLink(h, e), editable ? h('button', { class: 'btn', type: 'button', 'aria-label': `Hapus ${evidenceLabel(e)}`, onClick: async () => {
        if (e.kind === 'file') {
          try {
            await api.del(`/api/v1/evaluations/${id}/realisation/evidence/${e.file_id}`, { etag });
            ui.toast('Berkas dihapus.');
            return reload();
          } catch (err) {
            out.replaceChildren(ui.problemBox(err));
            return null;
          }
        }
        entry.evidence.splice(j, 1);
        return drawList();
      } }, 'Hapus') : null)) : [h('li', { class: 'muted' }, 'Belum ada bukti dukung.')]));
    drawList();

    const adders = [];
    if (editable) {
      const url = h('input', { type: 'url', inputmode: 'url', placeholder: 'https://', 'data-test': `link-url-${index}` });
      const addLink = h('button', { class: 'btn', type: 'button', 'data-test': `add-link-${index}`, onClick: () => {
        if (!url.value.trim()) return;
        entry.evidence.push({ kind: 'link', url: url.value.trim() });
        url.value = '';
        drawList();
      } }, 'Tambah tautan');
      const mine = pickable.filter((a) => !a.result_id || a.result_id === r.result_id);
      const pick = h('select', { 'data-test': `pick-evidence-${index}` }, h('option', { value: '' }, mine.length
        ? 'Pilih bukti dari kegiatan terverifikasi…' : 'Tidak ada bukti dari kegiatan terverifikasi'),
      mine.flatMap((a, ai) => a.evidence.map((e, ei) => h('option', { value: `${ai}:${ei}` },
        `${ui.formatDate(a.date)} · ${(a.description || '').slice(0, 50)} · ${e.name || e.url || 'berkas'}`))));
      const addPick = h('button', { class: 'btn', type: 'button', 'data-test': `add-pick-${index}`, onClick: () => {
        if (!pick.value) return;
        const [ai, ei] = pick.value.split(':').map(Number);
        const a = mine[ai];
        const e = a.evidence[ei];
        entry.evidence.push({ kind: 'activity', activity_id: a.activity_id, evidence_kind: e.evidence_kind,
          ...(e.file_id ? { file_id: e.file_id } : { url: e.url }), name: e.name || null, download: e.download });
        pick.value = '';
        drawList();
      } }, 'Tambahkan');
      const file = h('input', { type: 'file', accept: 'application/pdf,image/jpeg,image/png', 'data-test': `upload-${index}` });
      const upload = h('button', { class: 'btn', type: 'button', 'data-test': `upload-button-${index}`, onClick: async () => {
        if (!file.files.length) return;
        const form = new FormData();
        form.append('file', file.files[0]);
        upload.disabled = true;
        try {
          await save(false);   // the draft first, so nothing typed is lost
          await api.upload(`/api/v1/evaluations/${id}/realisation/results/${r.result_id}/evidence`, form);
          ui.toast('Berkas diunggah.');
          await reload();
        } catch (err) {
          out.replaceChildren(ui.problemBox(err));
          upload.disabled = false;
        }
      } }, 'Unggah berkas');
      adders.push(
        h('div', { class: 'field-row' }, ui.field(`link-url-${index}`, 'Tautan bukti dukung (http/https)', url), addLink),
        h('div', { class: 'field-row' }, ui.field(`pick-evidence-${index}`, 'Bukti dari kegiatan harian', pick), addPick),
        h('div', { class: 'field-row' }, ui.field(`upload-${index}`, 'Unggah berkas (PDF, JPEG, PNG)', file), upload));
    }
    box.append(h('div', { class: 'card', 'data-test': 'realisation-result', 'data-result': r.result_id },
      h('h3', {}, `${r.kind === 'main' ? 'Utama' : 'Tambahan'}: ${r.text}`),
      h('div', SCROLL_REGION, h('table', {},
        h('thead', {}, h('tr', {}, ['Indikator', 'Target', 'Realisasi terverifikasi', '% target'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, r.indicators.map((i) => h('tr', {}, h('td', {}, i.text || i.indicator_id),
          h('td', {}, i.target_value === null || i.target_value === undefined ? '-' : `${i.target_value} ${i.target_unit || ''}`),
          h('td', {}, i.realised_to_date === null || i.realised_to_date === undefined ? '-' : `${i.realised_to_date}`),
          h('td', {}, i.percent_of_target === null || i.percent_of_target === undefined ? '-' : `${i.percent_of_target} %`)))))),
      ui.field(`employee-realisation-${index}`, 'Realisasi', realisation, 'Diisi dari kegiatan terverifikasi; ubah bila perlu.'),
      ui.field(`employee-narrative-${index}`, 'Narasi singkat', narrative, 'Paling banyak 2000 karakter.'),
      h('h4', {}, 'Bukti dukung'), list, ...adders));
  }

  const body = () => ({ results: entries.map((e) => ({ result_id: e.result_id, realisation: e.realisation.value.trim() || null,
    narrative: e.narrative.value.trim() || null,
    evidence: e.evidence.filter((x) => x.kind !== 'file').map((x) => (x.kind === 'link'
      ? { kind: 'link', url: x.url, name: x.name || null }
      : { kind: 'activity', activity_id: x.activity_id, ...(x.file_id ? { file_id: x.file_id } : { url: x.url }) })) })) });
  async function save(announce = true) {
    const answer = await api.put(`/api/v1/evaluations/${id}/realisation`, body(), { etag, raw: true });
    etag = answer.etag;
    if (announce) ui.toast('Draf realisasi disimpan.');
    return answer.body;
  }

  if (editable) {
    const saveButton = h('button', { class: 'btn', type: 'button', 'data-test': 'save-realisation', onClick: async () => {
      saveButton.disabled = true;
      try {
        await save();
        await reload();
      } catch (err) {
        out.replaceChildren(ui.problemBox(err));
        saveButton.disabled = false;
      }
    } }, 'Simpan draf');
    const submit = h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'submit-realisation', onClick: async () => {
      submit.disabled = true;
      try {
        await save(false);
        await api.post(`/api/v1/evaluations/${id}/realisation/submit`, {}, { etag });
        ui.toast('Realisasi diajukan kepada pejabat penilai.');
        await reload();
      } catch (err) {
        out.replaceChildren(ui.problemBox(err));
        submit.disabled = false;
      }
    } }, 'Ajukan realisasi');
    box.append(ui.guide('Setelah diajukan, realisasi terkunci kecuali penilai mengembalikannya untuk diperbaiki.'),
      h('div', { class: 'actions' }, saveButton, submit));
  }
  box.append(out);
}
