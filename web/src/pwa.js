// The installable app: registers the service worker (/sw.js, scope /), says in Bahasa Indonesia when a
// new version has been downloaded (it is used the next time the app is opened, or at once on request),
// and passes the worker's Background Sync wake-up to the outbox.
import { h } from './dom.js';

export const UPDATE_TEXT = 'Versi baru Kinerja sudah diunduh dan dipakai saat aplikasi dibuka lagi.';

function announce(registration) {
  const box = document.getElementById('update-banner');
  if (!box || !box.hidden) return;
  box.replaceChildren(h('span', {}, UPDATE_TEXT), ' ',
    h('button', { class: 'btn btn-quiet', type: 'button', 'data-test': 'apply-update', onClick: () => {
      if (registration.waiting) registration.waiting.postMessage({ type: 'apply' });
    } }, 'Pakai sekarang'));
  box.hidden = false;
}

function watch(registration) {
  if (registration.waiting && navigator.serviceWorker.controller) announce(registration);
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    if (!worker) return;
    worker.addEventListener('statechange', () => {
      // A first install has no controller yet: nothing to announce, the shell is simply cached.
      if (worker.state === 'installed' && navigator.serviceWorker.controller) announce(registration);
    });
  });
}

/** Register the worker; `onSync` runs when the worker relays a Background Sync wake-up. */
export function registerServiceWorker(onSync) {
  if (!('serviceWorker' in navigator)) return;
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // Only when the person asked for the new version now ("Pakai sekarang"): the page reloads into it.
    const banner = document.getElementById('update-banner');
    if (!reloading && banner && !banner.hidden) {
      reloading = true;
      location.reload();
    }
  });
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'sync') onSync();
  });
  navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' })
    .then(watch)
    .catch((err) => console.warn('service worker', err));
}

/** Ask for a Background Sync of the outbox (where the browser has it; otherwise online/focus send it). */
export async function requestBackgroundSync(tag = 'kinerja-outbox') {
  try {
    if (!('serviceWorker' in navigator) || !navigator.serviceWorker.controller) return false;
    const registration = await navigator.serviceWorker.ready;
    if (!registration.sync) return false;
    await registration.sync.register(tag);
    return true;
  } catch {
    return false;
  }
}
