// The performance dialogue (dialog kinerja), through the UI only: the employee opens it from the
// approved plan, records a planning dialogue (a date in the future is refused, naming the field),
// the rater opens it from the employee's evaluation form and confirms it, and the employee sees it
// confirmed. Prints what it did; pytest checks the stored dialogue through the API.
import { run, newPage, signIn, go, check, noPageErrors, USERS, PHONE } from './lib.mjs';
import { openEvaluationOf } from './roles_lib.mjs';

const EMPLOYEE = USERS.employee.nip;
const STAMP = process.env.RUN_STAMP || String(Date.now());
const TOPICS = `Target layanan triwulan dan dukungan pelatihan (${STAMP})`;

async function dialogueItem(page) {
  const item = page.locator('[data-test="dialogue"]', { hasText: TOPICS });
  try {
    await item.waitFor();
  } catch (err) {
    const problems = await page.locator('[data-test="problem"]').allInnerTexts();
    throw new Error(`the dialogue is not listed (${problems.join(' | ') || 'no problem shown'}): ${err.message}`);
  }
  return item;
}

await run(async (browser) => {
  // The employee: from the approved plan to the dialogue screen.
  const { page: employee } = await newPage(browser, PHONE);
  await signIn(employee, 'employee');
  await go(employee, 'rencana');
  await employee.click('[data-test="dialogue-link"]');
  await employee.waitForSelector('[data-screen="dialog"] [data-test="dialogue-save"]');
  check(await employee.inputValue('[data-test="dialogue-stage"]') === 'planning', 'the plan opens a planning dialogue');
  await employee.fill('[data-test="dialogue-topics"]', TOPICS);
  await employee.fill('[data-test="dialogue-follow-ups"]', 'Ikut pelatihan pelayanan prima bulan depan');
  // a date in the future: refused, the field named in Indonesian
  await employee.evaluate(() => {
    const input = document.querySelector('[data-test="dialogue-held-on"]');
    input.removeAttribute('max');
    const d = new Date(Date.now() + 3 * 86400000);
    input.value = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(d);
  });
  await employee.click('[data-test="dialogue-save"]');
  const refusal = await employee.locator('[data-test="problem"] [data-field="held_on"]').innerText();
  check(/Tanggal dialog/.test(refusal) && /masa depan/.test(refusal), `a future date is refused by name: ${refusal}`);
  await employee.evaluate(() => {
    document.querySelector('[data-test="dialogue-held-on"]').value = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
  });
  await employee.click('[data-test="dialogue-save"]');
  const recorded = await dialogueItem(employee);
  const dialogueId = await recorded.getAttribute('data-id');
  const waiting = await recorded.locator('[data-test="dialogue-status"]').innerText();
  check(waiting === 'Menunggu konfirmasi', `recorded, waiting for the rater: ${waiting}`);
  check(await recorded.locator('[data-test="dialogue-confirm"]').count() === 0, 'the recorder has nothing to confirm');

  // The rater: from the employee's evaluation form to the dialogue, and confirms it.
  const { page: rater } = await newPage(browser, PHONE);
  await signIn(rater, 'rater');
  await openEvaluationOf(rater, EMPLOYEE);
  await rater.click('[data-test="evaluation-form"] [data-test="dialogue-link"]');
  await rater.waitForSelector('[data-screen="dialog"] [data-test="dialogues"]');
  const toConfirm = await dialogueItem(rater);
  await toConfirm.locator('[data-test="dialogue-confirm"]').click();
  await rater.waitForSelector(`[data-test="dialogue"][data-id="${dialogueId}"][data-status="confirmed"]`);

  // The employee sees it confirmed.
  await go(employee, 'rencana');
  await go(employee, 'dialog');
  const confirmed = await dialogueItem(employee);
  const status = await confirmed.locator('[data-test="dialogue-status"]').innerText();
  check(status === 'Dikonfirmasi', `the employee sees it confirmed: ${status}`);
  noPageErrors(employee);
  noPageErrors(rater);
  return { dialogueId, topics: TOPICS, refusal, status };
});
