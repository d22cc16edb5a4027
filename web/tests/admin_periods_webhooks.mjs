// The admin's periods and webhook screens through the UI: the year's periods with their counts,
// a webhook subscription added (its secret shown once), then disabled; a second one added and deleted
// (the delete sends If-Match with the version the list showed). Prints what it saw; pytest checks it
// against evaluation-service and notification-service.
import { run, newPage, signIn, go, check, noPageErrors, PHONE } from './lib.mjs';
import { noLeakedNulls } from './roles_lib.mjs';

const HOOK = process.env.HOOK_URL;
const GONE = process.env.DELETED_HOOK_URL;

await run(async (browser) => {
  const { page } = await newPage(browser, PHONE);
  await signIn(page, 'admin');
  await go(page, 'admin/periode');
  await page.waitForSelector('[data-test="periods"] tbody tr');
  const periods = await page.locator('[data-test="periods"] tbody tr').evaluateAll((rows) => rows.map((r) =>
    [r.dataset.period, ...[...r.querySelectorAll('td')].slice(3, 6).map((td) => Number(td.textContent))]));
  const schemeFixed = await page.isDisabled('[data-test="period-scheme"]');
  await noLeakedNulls(page);

  await go(page, 'admin/webhook');
  await page.fill('[data-test="webhook-url"]', HOOK);
  await page.fill('[data-test="webhook-description"]', 'TPP Kota Binjai (uji)');
  await page.check('#evt-EvaluationClosed');
  await page.check('#evt-CalibrationFinalised');
  await page.click('[data-test="webhook-create"]');
  const secret = await page.locator('[data-test="webhook-secret"] code').innerText();
  check(secret.length >= 16, 'the secret is shown once');
  const row = page.locator(`[data-test="webhook"]:has-text("${HOOK}")`);
  const id = await row.getAttribute('data-id');
  await row.locator('[data-test="webhook-disable"]').click();
  await page.waitForSelector(`[data-test="webhook"][data-id="${id}"] [data-test="webhook-enable"]`);
  const badge = await page.locator(`[data-test="webhook"][data-id="${id}"] .badge`).innerText();
  check(badge === 'Nonaktif', `disabled: ${badge}`);

  await page.fill('[data-test="webhook-url"]', GONE);
  await page.check('[data-test="webhook-all"]');
  await page.click('[data-test="webhook-create"]');
  const doomed = page.locator(`[data-test="webhook"]:has-text("${GONE}")`);
  const deletedId = await doomed.getAttribute('data-id');
  await doomed.locator('[data-test="webhook-delete"]').click();
  const gone = `[data-test="webhook"][data-id="${deletedId}"]`;
  await page.waitForFunction((selector) => !document.querySelector(selector) || document.querySelector('[data-test="problem"]'), gone);
  const problem = await page.locator('[data-test="problem"]').allInnerTexts();
  check(!problem.length, `deleted without a problem: ${problem.join(' | ')}`);
  check(!(await page.locator(gone).count()), 'the deleted subscription left the list');
  await noLeakedNulls(page);
  noPageErrors(page);
  return { periods, schemeFixed, id, secretHint: secret.slice(-4), deletedId };
});
