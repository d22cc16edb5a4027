// "Verifikasi Dokumen": the public check of a printed or downloaded document (no sign-in): its code, and
// optionally the PDF itself, against the register of the service that issued it (/api/v1/documents/verify).
const STATUS = { valid: 'Sah (revisi yang berlaku)', superseded: 'Digantikan oleh revisi yang lebih baru', revoked: 'Dicabut' };

export default async function render(root, { h, ui, code }) {
  const input = h('input', { id: 'verify-code', name: 'code', autocomplete: 'off', required: true, value: code || '',
    'aria-describedby': 'verify-code-hint', 'data-test': 'verify-code' });
  const file = h('input', { id: 'verify-file', name: 'file', type: 'file', accept: 'application/pdf', 'data-test': 'verify-file' });
  const out = h('div', { 'aria-live': 'polite', 'data-test': 'verify-result' });
  const form = h('form', { class: 'card', onSubmit: async (ev) => {
    ev.preventDefault();
    const value = input.value.trim();
    if (!value) return;
    out.replaceChildren(ui.loading('Memeriksa…'));
    const path = `/api/v1/documents/verify/${encodeURIComponent(value)}`;
    try {
      const pdf = file.files && file.files[0];
      const response = await fetch(path, pdf
        ? { method: 'POST', body: pdf, headers: { 'Content-Type': 'application/pdf', Accept: 'application/json', 'Accept-Language': 'id' } }
        : { headers: { Accept: 'application/json', 'Accept-Language': 'id' } });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) throw Object.assign(new Error(body.detail || `HTTP ${response.status}`), { status: response.status, problem: body });
      out.replaceChildren(answer(h, ui, body));
    } catch (err) {
      out.replaceChildren(ui.problemBox(err));
    }
  } },
  ui.field('verify-code', 'Kode verifikasi', input, 'Tertera di kaki setiap halaman dokumen, misalnya E-7K3M-Q9XD-2HTA.'),
  ui.field('verify-file', 'Berkas PDF (opsional)', file, 'Pilih berkasnya untuk memastikan isinya sama persis dengan yang diterbitkan.'),
  h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', type: 'submit', 'data-test': 'verify-submit' }, 'Periksa')));
  const hint = form.querySelector('.hint');
  if (hint) hint.id = 'verify-code-hint';
  root.append(ui.guide('Halaman ini terbuka untuk siapa saja tanpa masuk: periksa keaslian dokumen kinerja ASN '
    + '(SKP, evaluasi kinerja, penetapan predikat, PAK) dengan kode verifikasinya.'), form, out);
  if (code) form.requestSubmit();
}

function answer(h, ui, a) {
  const rows = [['Jenis dokumen', a.document_type_name], ['Judul', a.title], ['Nama pegawai / unit', a.employee_name || '-'],
    ['NIP', a.nip_masked || '-'], ['Periode', a.period], ['Revisi', String(a.revision)],
    ['Status', STATUS[a.status] || a.status], ['Diterbitkan', ui.formatDateTime(a.issued_at)],
    ['SHA-256 berkas asli', a.sha256]];
  if (a.status_reason) rows.push(['Keterangan', a.status_reason]);
  if (a.superseded_by) rows.push(['Kode revisi terbaru', a.superseded_by]);
  const check = a.check ? h('p', { 'data-test': 'verify-match', 'data-matches': String(a.check.matches) },
    h('strong', {}, a.check.matches ? 'Cocok: berkas ini sama persis dengan dokumen yang diterbitkan.'
      : 'Tidak cocok: berkas ini berbeda dari dokumen yang diterbitkan (telah diubah atau bukan dokumen ini).')) : null;
  return h('section', { class: 'card', 'data-test': 'verify-answer', 'data-status': a.status },
    h('h2', {}, `Kode ${a.code}`), h('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])), check);
}
