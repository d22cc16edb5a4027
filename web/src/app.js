// The shell: sign-in, the menu by role, the hash router, the notifications badge and stream.
import { api, ApiError } from './api.js';
import { h, clear } from './dom.js';
import { currentUser, signIn, signOut } from './session.js';
import * as ui from './ui.js';
import { routes } from './routes.js';
import { openStream } from './sse.js';
import { completeOidcSignIn, oidcRenewable, oidcSignOut, renewOidcToken } from './oidc.js';
import { startSync, sync } from './offline.js';
import { registerServiceWorker } from './pwa.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const topbar = document.getElementById('topbar');
let stream = null;
let ctx = null;
let renewal = null;
let notice = null;

export const SESSION_ENDED = 'Sesi Anda telah berakhir. Silakan masuk kembali.';

function sessionEnded() {
  clearTimeout(renewal);
  if (stream) stream.close();
  signOut();
  notice = SESSION_ENDED;
  location.hash = '#/';
  start();
}

/** Before the token expires: a new one from the provider (at three quarters of its lifetime), or,
 * without a refresh token, the session ends at its expiry with a message. */
function scheduleRenewal(user) {
  clearTimeout(renewal);
  if (!user.expiresAt) return;
  const expires = user.expiresAt.getTime();
  if (!oidcRenewable()) {
    renewal = setTimeout(sessionEnded, Math.max(0, expires - Date.now()));
    return;
  }
  const issued = user.issuedAt ? user.issuedAt.getTime() : Date.now();
  const at = issued + (expires - issued) * 0.75;
  renewal = setTimeout(async () => {
    const token = await renewOidcToken();
    if (token === undefined) { // no connection: try again shortly, until the token expires
      if (Date.now() < expires) renewal = setTimeout(() => scheduleRenewal(currentUser() || user), 5000);
      else sessionEnded();
      return;
    }
    if (!token) return sessionEnded();
    const renewed = signIn({ token });
    if (ctx) ctx.user = renewed;
    scheduleRenewal(renewed);
  }, Math.max(1000, at - Date.now()));
}

function trainingOn() {
  return Boolean((window.KINERJA_CONFIG || {}).trainingMode) || localStorage.getItem('kinerja.training') === '1';
}

function showTraining() {
  document.getElementById('training-banner').hidden = !trainingOn();
}

async function raterStatus(user) {
  const key = `kinerja.isRater.${user.nip}`;
  const cached = sessionStorage.getItem(key);
  if (cached !== null) return cached === '1';
  try {
    const page = await api.get('/api/v1/employees', { rater_nip: user.nip, active: true, limit: 1 });
    const value = page.items.length > 0;
    sessionStorage.setItem(key, value ? '1' : '0');
    return value;
  } catch {
    return false;
  }
}

function rolesOf(user, isRater) {
  const roles = new Set(user.roles);
  if (isRater) roles.add('rater');
  return roles;
}

export function visibleRoutes(user, isRater) {
  const roles = rolesOf(user, isRater);
  return routes.filter((r) => !r.roles || r.roles.some((role) => roles.has(role)));
}

function setBadge(count) {
  const badge = document.getElementById('notif-badge');
  if (!badge) return;
  badge.textContent = count > 99 ? '99+' : String(count);
  badge.hidden = !count;
  badge.dataset.loaded = 'true';
  badge.setAttribute('aria-label', `${count} notifikasi belum dibaca`);
  const link = document.getElementById('notif-link');
  if (link) link.setAttribute('aria-label', `Notifikasi, ${count} belum dibaca`);
}

async function refreshBadge() {
  try {
    const { unread } = await api.get('/api/v1/notifications/unread-count');
    setBadge(unread);
  } catch {
    /* the badge stays as it was */
  }
}

function bell() {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '24');
  svg.setAttribute('height', '24');
  svg.setAttribute('aria-hidden', 'true');
  svg.innerHTML = '<path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"/>';
  return svg;
}

function renderChrome(user, available) {
  clear(topbar);
  topbar.hidden = false;
  topbar.append(
    h('button', { class: 'menu-toggle', type: 'button', 'aria-controls': 'nav', 'aria-expanded': 'false', onClick: (e) => {
      const open = nav.classList.toggle('open');
      e.currentTarget.setAttribute('aria-expanded', String(open));
    } }, 'Menu'),
    h('a', { class: 'brand', href: '#/' }, 'Kinerja ASN'),
    h('a', { id: 'notif-link', class: 'notif-link', href: '#/notifikasi', 'data-test': 'notif-link' },
      bell(), h('span', { class: 'sr-only' }, 'Notifikasi'),
      h('span', { id: 'notif-badge', class: 'count', 'data-test': 'notif-badge', hidden: true }, '0')),
    h('span', { class: 'who', 'data-test': 'who' }, user.name),
    h('button', { class: 'btn btn-quiet', type: 'button', 'data-test': 'signout', onClick: () => {
      clearTimeout(renewal);
      if (stream) stream.close();
      signOut();
      location.hash = '#/';
      if (!oidcSignOut()) start(); // through the provider: it ends its session and sends us back
    } }, 'Keluar'));
  clear(nav);
  nav.hidden = false;
  nav.append(h('ul', {}, available.map((r) => h('li', {},
    h('a', { href: `#/${r.path}`, 'data-route': r.path, onClick: () => nav.classList.remove('open') }, r.title)))));
}

function markCurrent(path) {
  for (const a of nav.querySelectorAll('a[data-route]')) {
    if (a.dataset.route === path) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function route() {
  if (!ctx) return;
  const wanted = location.hash.replace(/^#\/?/, '').split('?')[0];
  const available = visibleRoutes(ctx.user, ctx.isRater);
  const match = available.find((r) => r.path === wanted) || null;
  if (!match) {
    if (available.length) {
      location.replace(`#/${available[0].path}`);
    } else {
      clear(main).append(ui.empty('Tidak ada layar untuk peran Anda.'));
    }
    return;
  }
  markCurrent(match.path);
  document.title = `${match.title} · Kinerja ASN`;
  clear(main).append(h('h1', {}, match.title), ui.loading());
  try {
    const module = await match.load();
    const root = h('div', { class: 'screen', 'data-screen': match.path });
    clear(main).append(h('h1', {}, match.title), root);
    await module.default(root, ctx);
  } catch (err) {
    console.error(err);
    clear(main).append(h('h1', {}, match.title), ui.problemBox(err instanceof ApiError ? err : new ApiError(500, { detail: String(err.message || err) })));
  }
  main.focus({ preventScroll: true });
}

// The public page (no sign-in): checking an official document by its code (issue 17).
const PUBLIC_PATH = 'verifikasi';

function publicPath() {
  return location.hash.replace(/^#\/?/, '').split('?')[0] === PUBLIC_PATH;
}

let onPublicPage = false;

async function showPublic() {
  onPublicPage = true;
  topbar.hidden = true;
  nav.hidden = true;
  ctx = null; // leaving the page starts the console again (sign-in or the menu)
  const code = new URLSearchParams(location.hash.split('?')[1] || '').get('kode');
  const module = await import('./screens/verify.js');
  document.title = 'Verifikasi Dokumen · Kinerja ASN';
  const root = h('div', { class: 'screen', 'data-screen': PUBLIC_PATH });
  clear(main).append(h('h1', {}, 'Verifikasi Dokumen'), root);
  await module.default(root, { h, ui, code });
}

async function start() {
  if (publicPath()) return showPublic();
  showTraining();
  let user = currentUser();
  if (!user) {
    try {
      const token = await completeOidcSignIn();
      if (token) user = signIn({ token });
    } catch (err) {
      ui.toast(err.message, 'bad');
    }
  }
  if (!user) {
    clearTimeout(renewal);
    ctx = null;
    topbar.hidden = true;
    nav.hidden = true;
    const module = await import('./screens/signin.js');
    clear(main);
    const shown = notice;
    notice = null;
    await module.default(main, { api, h, ui, notice: shown, onSignedIn: (u) => { signIn(u); location.hash = '#/'; start(); } });
    return;
  }
  scheduleRenewal(user);
  const isRater = await raterStatus(user);
  ctx = {
    api, h, ui, user, isRater,
    navigate: (path) => { location.hash = `#/${path.replace(/^#?\/?/, '')}`; },
    refreshBadge,
    training: trainingOn(),
    setTraining: (on) => { localStorage.setItem('kinerja.training', on ? '1' : '0'); showTraining(); ctx.training = on; },
  };
  renderChrome(user, visibleRoutes(user, isRater));
  refreshBadge();
  if (stream) stream.close();
  stream = openStream('/api/v1/notifications/stream', (event) => {
    const data = JSON.parse(event.data);
    if (event.event === 'unread-count') setBadge(data.unread);
    else if (event.event === 'notification') {
      window.dispatchEvent(new CustomEvent('kinerja:notification', { detail: data }));
      if (!data.read && data.version === 1) ui.toast(data.title);
    }
  });
  startSync();
  await route();
}

registerServiceWorker(() => { if (currentUser()) sync(); });
ui.watchTables(main);
window.addEventListener('hashchange', () => {
  if (publicPath()) showPublic();
  else if (onPublicPage) { // leaving the public page: the console starts (sign-in or the menu)
    onPublicPage = false;
    start();
  } else route(); // not start() when signed out: the sign-in page (and its "session ended" notice) is shown already
});
window.addEventListener('kinerja:unauthorized', () => {
  if (currentUser() === null && ctx) sessionEnded();
});
start();
