// The admin imports the directory through the UI: a dry run of a file with a bad row reports the row
// by its line and allows no import; the corrected file checks clean and is imported. Then the DLQ
// screen answers for all four services. Between them, the new employee is made Plh. of their unit
// and revoked on the same screen. Prints what it did; pytest checks the directory.
import { run, newPage, signIn, go, screenshots, check, noPageErrors, DESKTOP } from './lib.mjs';
import { noLeakedNulls } from './roles_lib.mjs';

const NEW_NIP = process.env.NEW_NIP;
const header = 'nip;nama;jabatan;unit_id;nip_atasan;email';
const good = `${NEW_NIP};Rahma Lubis;Bidan Terampil;dinkes-yankes;198003152005012003;rahma.lubis@binjaikota.go.id`;
const bad = '12345;Tanpa NIP Benar;Pelaksana;dinkes-yankes;;';

await run(async (browser) => {
  const { page } = await newPage(browser, DESKTOP);
  await signIn(page, 'admin');
  await go(page, 'admin/direktori');

  await page.fill('[data-test="import-text"]', [header, good, bad].join('\n'));
  await page.click('[data-test="import-dry-run"]');
  await page.waitForSelector('[data-test="dry-run-verdict"][data-valid="false"]');
  const errorLines = await page.locator('[data-test="dry-run-error"]').evaluateAll((rows) => rows.map((r) => r.dataset.line));
  check(errorLines.includes('3'), `the bad row is reported by its line: ${errorLines}`);
  check(await page.isDisabled('[data-test="import-apply"]'), 'no import while a row is bad');
  await screenshots(page, 'admin-import');

  await page.fill('[data-test="import-text"]', [header, good].join('\n'));
  check(await page.isDisabled('[data-test="import-apply"]'), 'a changed file must be checked again');
  await page.click('[data-test="import-dry-run"]');
  await page.waitForSelector('[data-test="dry-run-verdict"][data-valid="true"]');
  const verdict = await page.locator('[data-test="dry-run-verdict"]').innerText();
  await page.click('[data-test="import-apply"]');
  const applied = await page.locator('[data-test="import-applied"]').innerText();
  await noLeakedNulls(page);

  // The newly imported employee stands in as Plh. of their unit for a week, then is revoked (If-Match).
  await page.fill('[data-test="acting-unit"]', 'dinkes-yankes');
  await page.click('[data-test="acting-show"]');
  await page.waitForSelector('[data-test="acting-list"] .empty, [data-test="acting-table"]');
  await page.fill('[data-test="acting-nip"]', NEW_NIP);
  await page.selectOption('[data-test="acting-kind"]', 'plh');
  const today = await page.inputValue('[data-test="acting-from"]');
  const week = new Date(Date.parse(`${today}T00:00:00Z`) + 6 * 86400000).toISOString().slice(0, 10);
  await page.fill('[data-test="acting-to"]', week);
  await page.fill('[data-test="acting-decree"]', '800/77/BKPSDM/2026');
  await page.click('[data-test="acting-add"]');
  const row = `[data-test="acting-row"][data-nip="${NEW_NIP}"]`;
  await page.waitForSelector(`${row}[data-status="active"]`);
  const actingToday = await page.getAttribute(row, 'data-today');
  await page.click(`${row} [data-test="acting-revoke"]`);
  await page.waitForSelector(`${row}[data-status="revoked"]`);
  const acting = { today, until: week, actingToday, after: await page.getAttribute(row, 'data-status') };
  await noLeakedNulls(page);

  await go(page, 'admin/dlq');
  await page.waitForSelector('[data-test="dlq-service"] [data-test="dlq-summary"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-test="dlq-summary"]').length === 4);
  await noLeakedNulls(page);
  const waiting = await page.locator('[data-test="dlq-summary"]').evaluateAll((els) => els.map((e) => Number(e.dataset.waiting)));
  noPageErrors(page);
  return { errorLines, verdict, applied, waiting, acting };
});
