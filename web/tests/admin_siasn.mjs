// The admin's "Kiriman SIASN" screen: the record SIASN refused shows SIASN's message, the record lacking
// directory data names the missing field, the reconciliation row of the unit, and "Kirim ulang" resends the
// refused one. Prints what it saw; pytest checks it against the contract server and the API.
import { run, newPage, signIn, go, check, noPageErrors, DESKTOP } from './lib.mjs';
import { noLeakedNulls } from './roles_lib.mjs';

const REFUSED = process.env.REFUSED_ID;
const MISSING = process.env.MISSING_ID;

await run(async (browser) => {
  const { page } = await newPage(browser, DESKTOP);
  await signIn(page, 'admin');
  await go(page, 'admin/siasn');
  await page.fill('[data-test="siasn-year"]', process.env.YEAR);
  await page.selectOption('[data-test="siasn-status"]', 'needs_data');
  await page.click('[data-test="siasn-show"]');
  const lacking = page.locator(`[data-test="siasn-record"][data-id="${MISSING}"]`);
  await lacking.waitFor();
  const missing = await lacking.locator('[data-test="siasn-missing"]').innerText();

  await page.selectOption('[data-test="siasn-status"]', 'refused');
  await page.fill('[data-test="siasn-unit"]', process.env.UNIT);
  await page.click('[data-test="siasn-show"]');
  const refused = page.locator(`[data-test="siasn-record"][data-id="${REFUSED}"]`);
  await refused.waitFor();
  const message = await refused.locator('[data-test="siasn-message"]').innerText();
  // The reconciliation loads beside the records (its own request): wait for the unit's row, not only the list.
  const unitRow = page.locator(`[data-test="siasn-report-table"] tr[data-unit="${process.env.UNIT}"]`);
  await unitRow.waitFor();
  const report = await unitRow.locator('td').allInnerTexts();
  await noLeakedNulls(page);
  await refused.locator('[data-test="siasn-resend"]').click();
  await page.waitForSelector(`[data-test="siasn-record"][data-id="${REFUSED}"]`, { state: 'detached' });
  const problems = await page.locator('[data-test="problem"]').allInnerTexts();
  check(!problems.length, `resent without a problem: ${problems.join(' | ')}`);
  noPageErrors(page);
  return { message, missing, report };
});
