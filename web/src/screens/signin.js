// Sign-in: the demo users in development (GET /dev/users, POST /dev/token), the region's SSO otherwise.
import { beginOidcSignIn, oidcConfigured } from '../oidc.js';

const ROLE_NAMES = { employee: 'Pegawai', rater: 'Pejabat Penilai', unit_head: 'Kepala Unit', admin: 'Admin BKPSDM' };

export default async function render(root, { h, ui, onSignedIn, notice }) {
  const box = h('section', { class: 'signin card', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Masuk ke Kinerja ASN'),
    h('p', {}, 'Catat kegiatan harian, susun SKP, dan lihat hasil penilaian kinerja Anda.'));
  if (notice) box.append(h('p', { class: 'problem', role: 'alert', 'data-test': 'session-ended' }, notice));
  root.append(box);
  let users = null;
  // Never the development sign-in in production, whatever a server answers.
  const production = (window.KINERJA_CONFIG || {}).environment === 'production';
  try {
    const response = production ? null : await fetch('/dev/users', { headers: { Accept: 'application/json' } });
    if (response && response.ok) users = (await response.json()).items;
  } catch {
    users = null;
  }
  if (users) {
    box.append(ui.guide('Ini sistem pengembangan/latihan: pilih salah satu pengguna demo Kota Binjai.'),
      h('ul', { class: 'user-list' }, users.map((u) => h('li', {},
        h('button', { class: 'btn btn-block', type: 'button', 'data-test': `signin-${u.role}`, onClick: async (e) => {
          e.currentTarget.disabled = true;
          const answer = await fetch('/dev/token', { method: 'POST', headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ nip: u.nip }) });
          if (!answer.ok) {
            box.append(ui.problemBox({ status: answer.status, problem: await answer.json().catch(() => ({})) }));
            e.currentTarget.disabled = false;
            return;
          }
          const body = await answer.json();
          onSignedIn({ token: body.token, name: body.name, unit: body.unit });
        } }, h('strong', {}, u.name), h('span', { class: 'muted' }, ` ${ROLE_NAMES[u.role] || u.role} · NIP ${u.nip}`))))));
    return;
  }
  if (oidcConfigured()) {
    const status = h('div', {});
    box.append(h('button', { class: 'btn btn-primary btn-block', type: 'button', 'data-test': 'signin-oidc', onClick: async () => {
      try {
        await beginOidcSignIn();
      } catch (err) {
        status.replaceChildren(ui.problemBox({ status: 0, problem: { detail: err.message } }));
      }
    } }, 'Masuk dengan SSO Pemerintah Daerah'), status);
    return;
  }
  box.append(h('p', { class: 'problem', role: 'alert' },
    'Cara masuk belum dikonfigurasi: operator perlu mengisi issuer dan client id OIDC di config.js.'));
}
