// Offline logging: every activity entry goes through a queue in IndexedDB first, with an id made
// here (a UUID), then to activity-service's batch endpoint (POST /api/v1/activities/batch) as soon
// as the network allows: at once, when the browser fires `online`, when the console comes back to the
// front (focus), on a retry timer, and on a Background Sync wake-up from the service worker where the
// browser has it (an entry queued offline asks for one: src/pwa.js).
// The service keeps one row per id, so a retry (or a lost answer) never makes a duplicate.
// Sync states: queued (Menunggu sinkron), sent (Terkirim), refused (Ditolak, with the reason).
import { api, ApiError } from './api.js';
import { currentUser } from './session.js';
import { requestBackgroundSync } from './pwa.js';

const DB = 'kinerja';
const STORE = 'outbox';
const RETRY_MS = 20000;
const KEEP_SENT_DAYS = 14;
let dbPromise = null;
let running = null;
let timer = null;

function db() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const open = indexedDB.open(DB, 1);
      open.onupgradeneeded = () => {
        const store = open.result.createObjectStore(STORE, { keyPath: 'id' });
        store.createIndex('nip', 'nip');
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  }
  return dbPromise;
}

function tx(mode, fn) {
  return db().then((d) => new Promise((resolve, reject) => {
    const t = d.transaction(STORE, mode);
    const result = fn(t.objectStore(STORE));
    t.oncomplete = () => resolve(result && 'result' in result ? result.result : result);
    t.onerror = () => reject(t.error);
  }));
}

export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function changed() {
  window.dispatchEvent(new CustomEvent('kinerja:outbox'));
}

/** Queue an entry (the body of POST /api/v1/activities, its id included) and try to send it now. */
export async function enqueue(body, file = null) {
  const user = currentUser();
  const now = new Date().toISOString();
  const record = { id: body.id || newId(), nip: user.nip, body: null, file, fileName: file ? file.name : null,
    state: 'queued', reason: null, errors: [], evidenceDone: !file, createdAt: now, updatedAt: now, attempts: 0 };
  record.body = { ...body, id: record.id };
  await tx('readwrite', (s) => s.put(record));
  changed();
  if (!navigator.onLine) requestBackgroundSync();
  sync();
  return record;
}

/** The signed-in person's queued and recently sent entries, newest first. */
export async function entries() {
  const user = currentUser();
  if (!user) return [];
  const rows = await tx('readonly', (s) => s.index('nip').getAll(user.nip));
  return rows.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
}

async function save(record) {
  record.updatedAt = new Date().toISOString();
  await tx('readwrite', (s) => s.put(record));
}

async function sha256(blob) {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, '0')).join('');
}

async function idempotencyKey(ids) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode([...ids].sort().join(',')));
  return 'batch-' + Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, '0')).join('');
}

async function uploadEvidence(record) {
  // Upload once: an answer lost on the way is detected by the file's SHA-256 on the stored entry.
  const hash = await sha256(record.file);
  const stored = await api.get(`/api/v1/activities/${record.id}`);
  if (!(stored.evidence || []).some((e) => e.sha256 === hash)) {
    const form = new FormData();
    form.append('file', record.file, record.fileName || 'bukti');
    await api.upload(`/api/v1/activities/${record.id}/evidence`, form);
  }
  record.evidenceDone = true;
  record.file = null;
  await save(record);
}

async function syncOnce() {
  const user = currentUser();
  if (!user) return;
  const all = await entries();
  const queued = all.filter((r) => r.state === 'queued');
  for (let i = 0; i < queued.length; i += 100) {
    const chunk = queued.slice(i, i + 100);
    const ids = chunk.map((r) => r.id);
    let answer;
    try {
      answer = await api.post('/api/v1/activities/batch', { items: chunk.map((r) => r.body) },
        { idempotencyKey: await idempotencyKey(ids) });
    } catch (err) {
      if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 409 && err.status !== 429) {
        for (const r of chunk) {
          Object.assign(r, { state: 'refused', reason: err.problem.detail || err.message, errors: err.problem.errors || [] });
          await save(r);
        }
        changed();
      }
      return; // offline or the service is unavailable: the entries stay queued for the next try
    }
    for (const result of answer.results) {
      const r = chunk[result.index];
      r.attempts += 1;
      if (result.status >= 200 && result.status < 300) {
        Object.assign(r, { state: 'sent', reason: null, errors: [], activity: result.activity || null });
      } else if (result.status >= 400 && result.status < 500) {
        const p = result.problem || {};
        Object.assign(r, { state: 'refused', reason: p.detail || p.title || `HTTP ${result.status}`, errors: p.errors || [] });
      }
      await save(r);
    }
    changed();
  }
  for (const r of await entries()) {
    if (r.state === 'sent' && !r.evidenceDone && r.file) {
      try {
        await uploadEvidence(r);
        changed();
      } catch (err) {
        if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429) {
          r.evidenceDone = true;
          r.file = null;
          r.reason = `Bukti dukung ditolak: ${err.problem.detail || err.message}`;
          await save(r);
          changed();
        }
      }
    }
    const old = Date.now() - KEEP_SENT_DAYS * 86400000;
    if (r.state === 'sent' && r.evidenceDone && Date.parse(r.updatedAt) < old) await tx('readwrite', (s) => s.delete(r.id));
  }
}

/** Send what is queued; one run at a time (a call during a run waits for it, then runs again). */
export function sync() {
  if (running) {
    return running.then(() => sync());
  }
  running = syncOnce().catch((err) => console.warn('sync', err)).finally(() => { running = null; });
  return running;
}

/** Discard a refused entry (the person will log it again, corrected). */
export async function discard(id) {
  await tx('readwrite', (s) => s.delete(id));
  changed();
}

export function startSync() {
  if (timer) return;
  window.addEventListener('online', () => sync());
  window.addEventListener('focus', () => { if (navigator.onLine) sync(); });
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible' && navigator.onLine) sync(); });
  timer = setInterval(() => {
    if (navigator.onLine) sync();
  }, RETRY_MS);
  sync();
}
