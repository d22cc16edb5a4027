// Official documents (issue 17): the "Unduh PDF" button of the screens and the public verify address.
// The PDF endpoints need the bearer token, so the button fetches the file and hands it to the browser.
import { authHeaders, ApiError } from './api.js';
import { h } from './dom.js';
import { problemBox, toast } from './ui.js';

async function download(path, filename, out) {
  let response;
  try {
    response = await fetch(path, { headers: authHeaders({ Accept: 'application/pdf, application/zip, application/problem+json' }) });
  } catch {
    throw new ApiError(0, { title: 'Tidak ada koneksi', detail: 'Tidak ada koneksi ke server. Periksa jaringan Anda.' });
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError(response.status, problem, response.headers.get('X-Correlation-ID'));
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  const code = response.headers.get('X-Document-Code');
  if (out) out.replaceChildren(code ? h('p', { class: 'muted', 'data-test': 'document-code' }, `Kode verifikasi dokumen: ${code}`) : '');
  toast('Dokumen PDF diunduh.');
}

/** A button that downloads the PDF at `path` (a closed evaluation, an approved SKP...) as `filename`. */
export function pdfButton(path, filename, label = 'Unduh PDF') {
  const out = h('span', { 'aria-live': 'polite' });
  const button = h('button', { class: 'btn', type: 'button', 'data-test': 'download-pdf', 'data-path': path,
    onClick: async () => {
      button.disabled = true;
      try {
        await download(path, filename, out);
      } catch (err) {
        out.replaceChildren(problemBox(err));
      } finally {
        button.disabled = false;
      }
    } }, label);
  return h('span', { class: 'document-download' }, button, out);
}
