// The rater verifies the activity and closes an evaluation, through the UI only: accept one of the
// demo employee's pending entries, reject another (the reason is required), then fill in, submit and
// close the employee's evaluation with the predicate the matrix gives. Prints what it did; pytest
// checks the resulting state through the services' APIs.
import { run, newPage, signIn, go, screenshots, check, noPageErrors, USERS, PHONE } from './lib.mjs';
import { acceptEntry, rejectEntry, openEvaluationOf, submitAndClose } from './roles_lib.mjs';

const EMPLOYEE = USERS.employee.nip;

await run(async (browser) => {
  const { page } = await newPage(browser, PHONE);
  await signIn(page, 'rater');
  await go(page, 'penilai/kotak-masuk');
  await page.waitForSelector('[data-test="inbox-entries"]');
  await screenshots(page, 'rater-inbox');

  const mine = page.locator(`[data-test="inbox-entry"][data-nip="${EMPLOYEE}"]`);
  check(await mine.count() >= 2, `the employee has at least two entries waiting (${await mine.count()})`);
  const accepted = await mine.nth(0).getAttribute('data-id');
  const rejected = await mine.nth(1).getAttribute('data-id');

  // Accept the first.
  await acceptEntry(page, accepted);

  // Reject the second: without a reason the console refuses and names the field.
  const refusal = await rejectEntry(page, rejected, 'Bukti dukung tidak menunjukkan laporan yang dimaksud');
  check(/Alasan/.test(refusal), `a rejection without a reason names the field: ${refusal}`);

  // The evaluation form: realisation prefilled, the suggestion and its reasoning, the matrix.
  const evaluationId = await openEvaluationOf(page, EMPLOYEE);
  const reasons = await page.locator('[data-test="suggestion"] li').allInnerTexts();
  check(reasons.length >= 1 && /hasil kerja dinilai/.test(reasons[0]), `the suggestion explains itself: ${reasons.join(' | ')}`);
  await page.check(`[data-test="behaviour-rating-above"]`);
  await screenshots(page, 'evaluation-form', null, '[data-test="result"] h3'); // the indicators' table as cards on a phone
  const seen = await submitAndClose(page, 'above');
  const status = await page.locator('[data-test="evaluation-status"]').innerText();
  check(status === 'Ditutup', `the form says closed: ${status}`);
  noPageErrors(page);
  return { accepted, rejected, evaluationId, ...seen };
});
