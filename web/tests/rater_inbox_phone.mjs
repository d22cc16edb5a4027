// The rater's inbox on a 360 px phone (issue 20): entries grouped by employee (collapsed, with counts),
// one entry accepted and one rejected with a reason by their own buttons, then the employee's group
// accepted at once while the entry with an unusual quantity is held back (flagged). pytest made the
// entries (PLAIN_IDS, FLAGGED_ID) and checks their states through the API.
import { run, newPage, signIn, go, screenshots, check, noPageErrors, USERS, PHONE } from './lib.mjs';
import { acceptEntry, rejectEntry, acceptGroup, openGroupOf } from './roles_lib.mjs';

const EMPLOYEE = USERS.employee.nip;
const PLAIN = JSON.parse(process.env.PLAIN_IDS || '[]');
const FLAGGED = process.env.FLAGGED_ID;

await run(async (browser) => {
  const { page } = await newPage(browser, PHONE);
  await signIn(page, 'rater');
  await go(page, 'penilai/kotak-masuk');
  await page.waitForSelector('[data-test="inbox-group"]');
  const group = page.locator(`[data-test="inbox-group"][data-nip="${EMPLOYEE}"]`);
  check(!(await group.evaluate((d) => d.open)), 'groups start collapsed');
  const count = await group.locator('[data-test="group-count"]').innerText();
  const collapsedHeight = await page.evaluate(() => document.documentElement.scrollHeight);
  await screenshots(page, 'rater-inbox-groups', null, '#inbox-entries');

  // The unusual entry is flagged, with the reason in words.
  await openGroupOf(page, FLAGGED);
  const flagged = page.locator(`[data-test="inbox-entry"][data-id="${FLAGGED}"]`);
  check(await flagged.getAttribute('data-flagged') === 'true', 'the entry far above the usual quantity is flagged');
  const flagText = await flagged.locator('[data-flag="quantity"]').innerText();
  check(/jauh di atas biasanya/.test(flagText), `the flag says why: ${flagText}`);
  for (const id of PLAIN) {
    check(await page.locator(`[data-test="inbox-entry"][data-id="${id}"]`).getAttribute('data-flagged') === 'false', `entry ${id} is not flagged`);
  }
  await screenshots(page, 'rater-inbox-phone-flow', null, `[data-test="inbox-entry"][data-id="${FLAGGED}"]`);

  // One accepted, one rejected (the reason is required), each with its own button.
  await acceptEntry(page, PLAIN[0]);
  const refusal = await rejectEntry(page, PLAIN[1], 'Jumlah tidak sesuai dengan laporan harian');
  check(/Alasan/.test(refusal), `a rejection without a reason names the field: ${refusal}`);

  // The group at once: the flagged entry stays, and the screen says so.
  const filtered = await page.locator('[data-test="filter-indicator"] option').count();
  check(filtered >= 2, 'the indicator filter lists the indicators waiting');
  await acceptGroup(page, EMPLOYEE);
  const held = await page.locator('[data-test="held-back"]').innerText();
  check(/bertanda tidak ikut diterima/.test(held), `the held-back entry is reported: ${held}`);
  for (const id of PLAIN.slice(2)) await page.waitForSelector(`[data-test="inbox-entry"][data-id="${id}"]`, { state: 'detached' });
  check(await page.locator(`[data-test="inbox-entry"][data-id="${FLAGGED}"]`).count() === 1, 'the flagged entry still waits');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(wide <= 0, `nothing scrolls sideways at 360 px (${wide} px too wide)`);
  noPageErrors(page);
  return { accepted: PLAIN[0], rejected: PLAIN[1], bulk: PLAIN.slice(2), flagged: FLAGGED, count, collapsedHeight, held };
});
