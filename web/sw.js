// Kinerja's service worker: the app shell offline, and nothing personal kept.
//
// - Precache: the shell's files (index.html, config.js, the manifest, the icons, every module and style
//   sheet of src/, the screens' included) in a cache named by their version. SHELL below is filled in
//   from the files' content when sw.js is served (deploy/gateway/gateway.py) or built into the image
//   (deploy/gateway/Dockerfile), by web/tools/precache.py: a changed file is a new version, never a
//   manual bump.
// - Update: a new version installs beside the running one and waits; the page says so (src/pwa.js)
//   and it takes over when the app is next opened (or at once when the person asks). Activating
//   deletes every older kinerja-shell-* cache.
// - Offline: pages of the console get the cached index.html; the shell's files come from the cache.
//   config.js (replaced per deployment) is network first, the cached copy when offline.
// - Never stored: answers of /api/, /svc/ and /dev/ (personal data) pass straight to the network. What
//   the offline features keep (the indicator list, the outbox of entries) the page keeps itself.
// - Background Sync: the outbox's tag wakes the open console to send what is queued.
const SHELL = {"version":"dev","files":[]};
const PREFIX = 'kinerja-shell-';
const CACHE = PREFIX + SHELL.version;
const NETWORK_FIRST = new Set(['/config.js']);
const NEVER_CACHED = /^\/(api|svc|dev|healthz)(\/|$)/;
const SYNC_TAG = 'kinerja-outbox';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL.files.map((path) => new Request(path, { cache: 'reload' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  const type = event.data && event.data.type;
  if (type === 'apply') self.skipWaiting();
  else if (type === 'version' && event.source) event.source.postMessage({ type: 'version', version: SHELL.version });
});

async function fromCache(path) {
  const cache = await caches.open(CACHE);
  return cache.match(path, { ignoreSearch: true });
}

async function cacheFirst(request, path) {
  return (await fromCache(path)) || fetch(request);
}

async function networkFirst(request, path) {
  try {
    const answer = await fetch(request, { cache: 'no-store' });
    if (answer.ok) (await caches.open(CACHE)).put(path, answer.clone());
    return answer;
  } catch (err) {
    const cached = await fromCache(path);
    if (cached) return cached;
    throw err;
  }
}

async function shellPage(request) {
  try {
    const cached = await fromCache('/index.html');
    if (cached) return cached;
  } catch { /* no cache yet */ }
  return fetch(request);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NEVER_CACHED.test(url.pathname)) return;
  const last = url.pathname.split('/').pop();
  if (request.mode === 'navigate' && (url.pathname === '/index.html' || !last.includes('.'))) {
    event.respondWith(shellPage(request));
  } else if (NETWORK_FIRST.has(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname));
  } else if (SHELL.files.includes(url.pathname)) {
    event.respondWith(cacheFirst(request, url.pathname));
  }
});

self.addEventListener('sync', (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(self.clients.matchAll({ type: 'window' }).then((windows) => {
    for (const client of windows) client.postMessage({ type: 'sync' });
  }));
});
