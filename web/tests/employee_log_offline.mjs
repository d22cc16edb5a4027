// An employee logs activities on a phone: one online with a photo as evidence, then two while
// offline (queued on the device), then back online: both are sent once, even when the first
// answer of the batch endpoint is lost on the way (the retry makes no duplicate).
import { run, newPage, signIn, go, logEntry, screenshots, check, noPageErrors, BASE_URL } from './lib.mjs';

const STAMP = process.env.RUN_STAMP || String(Date.now());
const HOUR = Number(process.env.LOG_HOUR || 15); // today's entries go between HOUR:00 and HOUR+1:00
const at = (minutes) => `${String(HOUR + Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

async function stateOf(item) {
  return item.getAttribute('data-state');
}

await run(async (browser) => {
  const { context, page } = await newPage(browser);
  await page.goto(BASE_URL + '/');
  await page.waitForSelector('[data-test="signin-employee"]');
  await screenshots(page, 'signin');
  await signIn(page, 'employee');
  await go(page, 'catat');
  await page.waitForSelector('#log-indicator option:nth-child(2)', { state: 'attached' });
  await screenshots(page, 'logging');

  // Online: sent at once, with the photo uploaded as evidence.
  const online = await logEntry(page, { start: at(0), end: at(20), text: `Melayani pasien lansia ${STAMP}`, quantity: 6, photo: true });
  const onlineId = await online.getAttribute('data-id');
  await page.waitForSelector(`[data-test="queue-item"][data-id="${onlineId}"][data-state="sent"]`);

  // Offline: two entries wait on the device.
  await context.setOffline(true);
  await page.waitForSelector('[data-test="online-state"].off');
  const first = await logEntry(page, { start: at(20), end: at(40), text: `Rekap kunjungan luring A ${STAMP}`, quantity: 2 });
  const second = await logEntry(page, { start: at(40), end: at(60), text: `Rekap kunjungan luring B ${STAMP}`, quantity: 3 });
  check(await stateOf(first) === 'queued' && await stateOf(second) === 'queued', 'offline entries wait as "Menunggu sinkron"');
  check((await first.locator('[data-test="sync-state"]').innerText()).includes('Menunggu sinkron'), 'the queued label is shown');
  await screenshots(page, 'logging-offline');

  // Back online, but the first answer of the batch endpoint is lost after the service stored the entries.
  let lost = 0;
  let batches = 0;
  await page.route('**/api/v1/activities/batch', async (route) => {
    batches += 1;
    if (lost === 0) {
      lost += 1;
      await route.fetch();              // the service receives and stores the batch ...
      await route.abort('connectionreset'); // ... and the phone never hears back
      return;
    }
    await route.continue();
  });
  await context.setOffline(false);
  await page.waitForFunction(() => navigator.onLine);
  const ids = [await first.getAttribute('data-id'), await second.getAttribute('data-id')];
  await page.waitForTimeout(1000);
  if (await stateOf(first) === 'queued') {
    // Not retried yet: the next `online` event (or the retry timer) sends the same ids again.
    await context.setOffline(true);
    await context.setOffline(false);
  }
  for (const id of ids) await page.waitForSelector(`[data-test="queue-item"][data-id="${id}"][data-state="sent"]`);
  check((await first.locator('[data-test="sync-state"]').innerText()).includes('Terkirim'), 'the sent label is shown');
  check(lost === 1 && batches >= 2, `the lost answer was followed by a retry (batches: ${batches})`);

  // My entries list shows them with their verification status.
  await go(page, 'kegiatan');
  await page.waitForSelector(`[data-test="entry"][data-id="${ids[0]}"]`);
  await screenshots(page, 'entries');
  await go(page, 'rencana');
  await page.waitForSelector('[data-test="plan-status"]');
  // The cascade: the employee's result names the rater's result by its text, read through
  // plan-service's supportable-results (the employee may not open the rater's plan itself).
  await page.waitForSelector('text=Mendukung: Terlaksananya pelayanan kesehatan dasar');
  await screenshots(page, 'plan');
  noPageErrors(page);
  return { online: onlineId, offline: ids, batches, stamp: STAMP };
});
