// Notifications arrive live: while the employee's inbox is open, the rater gives feedback; the new
// notification appears without a reload (SSE through the gateway) and the unread badge counts it;
// marking it read lowers the badge.
import { run, newPage, signIn, go, screenshots, check, noPageErrors, BASE_URL, USERS } from './lib.mjs';

const STAMP = process.env.RUN_STAMP || String(Date.now());

async function badge(page) {
  const el = page.locator('[data-test="notif-badge"]');
  return (await el.isHidden()) ? 0 : Number(await el.innerText());
}

await run(async (browser) => {
  const { page } = await newPage(browser, { width: 1280, height: 800 });
  await signIn(page, 'employee');
  await go(page, 'notifikasi');
  await page.waitForSelector('[data-test="notifications"][data-loaded]', { state: 'attached' });
  await page.waitForSelector('[data-test="notif-badge"][data-loaded]', { state: 'attached' });
  const before = await badge(page);
  const countBefore = await page.locator('[data-test="notification"]').count();

  // The rater gives feedback through the API (as the rater, with a development token).
  const token = (await (await fetch(`${BASE_URL}/dev/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ nip: USERS.rater.nip }) })).json()).token;
  const given = await fetch(`${BASE_URL}/api/v1/feedback`, { method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ nip: USERS.employee.nip, text: `Laporan harian sudah rapi, pertahankan ${STAMP}`, behaviour_value: 'accountable' }) });
  check(given.status === 201, `feedback given (HTTP ${given.status})`);

  // It arrives live: one more item, unread, and the badge counts it.
  await page.waitForFunction((n) => document.querySelectorAll('[data-test="notification"]').length > n, countBefore, { timeout: 60000 });
  await page.waitForFunction((b) => Number(document.querySelector('[data-test="notif-badge"]').textContent) > b, before, { timeout: 30000 });
  const after = await badge(page);
  const fresh = page.locator('[data-test="notification"][data-read="false"]', { hasText: STAMP }).first();
  const id = await fresh.getAttribute('data-id');
  await screenshots(page, 'notifications');

  await fresh.locator('[data-test="mark-read"]').click();
  await page.waitForSelector(`[data-test="notification"][data-id="${id}"][data-read="true"]`);
  await page.waitForFunction((b) => {
    const el = document.querySelector('[data-test="notif-badge"]');
    return (el.hidden ? 0 : Number(el.textContent)) < b;
  }, after);
  const final = await badge(page);
  noPageErrors(page);
  return { before, after, final, id };
});
