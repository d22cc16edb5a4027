// The installed console on a phone (issue 20): the service worker installs and precaches the shell; the
// app is installable (Chromium's own installability check); then the app is opened again with the
// network off from its first navigation (airplane mode), logs three activities with photos, and when
// the network comes back they are sent once through the batch endpoint. pytest counts the rows.
import { run, newPage, watchErrors, signIn, go, logEntry, screenshots, check, noPageErrors, BASE_URL } from './lib.mjs';

const STAMP = process.env.RUN_STAMP || String(Date.now());
const HOUR = Number(process.env.LOG_HOUR || 10);
const at = (minutes) => `${String(HOUR + Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The shell caches and every URL they hold. */
async function cached(page) {
  return page.evaluate(async () => {
    const out = {};
    for (const key of await caches.keys()) out[key] = (await (await caches.open(key)).keys()).map((r) => new URL(r.url).pathname);
    return out;
  });
}

await run(async (browser) => {
  const { context, page } = await newPage(browser);
  await signIn(page, 'employee');
  await go(page, 'catat');
  await page.waitForSelector('#log-indicator option:nth-child(2)', { state: 'attached' }); // the indicator list is kept for offline use
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
  const caches1 = await cached(page);
  const names = Object.keys(caches1);
  check(names.length === 1 && /^kinerja-shell-[0-9a-f]{16}$/.test(names[0]), `one versioned shell cache: ${names}`);
  const shell = caches1[names[0]];
  check(shell.includes('/index.html') && shell.includes('/src/app.js') && shell.includes('/src/screens/employee/log.js')
    && shell.includes('/src/screens/rater/inbox.js'), 'the shell and the screens\' modules are precached');
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  const { url: manifestUrl, errors: manifestErrors } = await cdp.send('Page.getAppManifest');
  // A Playwright context is incognito, where nothing is ever installable: every other reason would fail.
  const blocking = installabilityErrors.filter((e) => e.errorId !== 'in-incognito');
  check(blocking.length === 0, `installable: ${JSON.stringify(blocking)}`);
  check(manifestErrors.length === 0 && manifestUrl.endsWith('/manifest.webmanifest'), `the manifest parses: ${JSON.stringify(manifestErrors)}`);
  const workerBytes = await page.evaluate(async () => (await (await fetch('/sw.js')).arrayBuffer()).byteLength);
  await page.close();

  // Airplane mode, then the installed app is opened: its first navigation has no network.
  await context.setOffline(true);
  const phone = watchErrors(await context.newPage());
  await phone.goto(BASE_URL + '/#/catat');
  await phone.waitForSelector('[data-screen="catat"]');
  await phone.waitForSelector('[data-test="online-state"].off');
  await phone.waitForSelector('#log-indicator option:nth-child(2)', { state: 'attached' });
  const ids = [];
  for (const [i, letter] of ['A', 'B', 'C'].entries()) {
    const item = await logEntry(phone, { start: at(i * 15), end: at(i * 15 + 10), text: `Kunjungan rumah luring ${letter} ${STAMP}`,
      quantity: i + 1, photo: true });
    check(await item.getAttribute('data-state') === 'queued', `entry ${letter} waits on the device`);
    ids.push(await item.getAttribute('data-id'));
  }
  await screenshots(phone, 'installed-app-offline');
  const apiCached = Object.values(await cached(phone)).flat().filter((p) => /^\/(api|svc|dev)\//.test(p));
  check(apiCached.length === 0, `no API answer is kept by the service worker: ${apiCached}`);

  // The network comes back: the queue goes out once (online event, Background Sync where the browser has it).
  let batches = 0;
  phone.on('request', (request) => { if (request.method() === 'POST' && request.url().endsWith('/api/v1/activities/batch')) batches += 1; });
  await context.setOffline(false);
  for (const id of ids) await phone.waitForSelector(`[data-test="queue-item"][data-id="${id}"][data-state="sent"]`, { timeout: 60000 });
  await phone.waitForFunction(async () => { // the photos follow the entries
    const open = indexedDB.open('kinerja', 1);
    const db = await new Promise((resolve) => { open.onsuccess = () => resolve(open.result); });
    const rows = await new Promise((resolve) => { const q = db.transaction('outbox').objectStore('outbox').getAll(); q.onsuccess = () => resolve(q.result); });
    return rows.every((r) => r.evidenceDone);
  }, null, { timeout: 60000, polling: 500 });
  await screenshots(phone, 'installed-app');
  noPageErrors(phone);
  return { ids, batches, stamp: STAMP, workerBytes, shellFiles: shell.length };
});
