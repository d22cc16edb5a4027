// Steps of the rater and unit-head browser tests, driven through the UI only.
import { check, go } from './lib.mjs';

/** In the rater's inbox (#/penilai/kotak-masuk): open (expand) the employee's group holding the entry `id`. */
export async function openGroupOf(page, id) {
  const group = page.locator('[data-test="inbox-group"]', { has: page.locator(`[data-test="inbox-entry"][data-id="${id}"]`) });
  if (!(await group.evaluate((d) => d.open))) await group.locator('summary').click();
  return group;
}

/** In the rater's inbox: accept the entry `id` with its own button; waits until it leaves the inbox. */
export async function acceptEntry(page, id) {
  await openGroupOf(page, id);
  await page.click(`[data-test="inbox-entry"][data-id="${id}"] [data-test="accept-entry"]`);
  await page.waitForSelector(`[data-test="inbox-entry"][data-id="${id}"]`, { state: 'detached' });
  await page.waitForSelector('[data-test="bulk-outcome"]');
}

/** In the rater's inbox: reject the entry `id`; without a reason the entry says which field is missing. Returns that text. */
export async function rejectEntry(page, id, reason) {
  await openGroupOf(page, id);
  const entry = `[data-test="inbox-entry"][data-id="${id}"]`;
  await page.click(`${entry} [data-test="reject-entry"]`);
  await page.click(`${entry} [data-test="confirm-reject"]`);
  const refusal = await page.locator(`${entry} [data-test="problem"] [data-field="reason"]`).innerText();
  check(await page.locator(entry).count() === 1, 'nothing was rejected without a reason');
  await page.fill(`${entry} [data-test="reject-reason"]`, reason);
  await page.click(`${entry} [data-test="confirm-reject"]`);
  await page.waitForSelector(entry, { state: 'detached' });
  return refusal;
}

/** In the rater's inbox: accept the group of `nip` at once (with its flagged entries when `includeFlagged`). */
export async function acceptGroup(page, nip, includeFlagged = false) {
  const group = page.locator(`[data-test="inbox-group"][data-nip="${nip}"]`);
  if (!(await group.evaluate((d) => d.open))) await group.locator('summary').click();
  if (includeFlagged && await group.locator('[data-test="include-flagged"]').count()) await group.locator('[data-test="include-flagged"]').check();
  await page.locator(`[data-test="inbox-group"][data-nip="${nip}"] [data-test="accept-group"]`).click();
  await page.waitForSelector('[data-test="bulk-outcome"]');
}

/** Open the rater's evaluation form of `nip` (its latest open or submitted one, else any). */
export async function openEvaluationOf(page, nip) {
  await go(page, 'penilai/penilaian');
  await page.waitForSelector('[data-test="rater-evaluations"]');
  const row = page.locator(`[data-test="rater-evaluation"][data-nip="${nip}"]`).first();
  const id = await row.getAttribute('data-id');
  await row.locator('[data-test="open-evaluation"]').click();
  await page.waitForSelector('[data-test="evaluation-form"]');
  return id;
}

/**
 * On an open evaluation form: keep the suggested results rating (or take "meets"), give the
 * behaviour rating, check the predicate the matrix shows, submit, close. Returns what it saw.
 */
export async function submitAndClose(page, behaviour = 'above') {
  const form = page.locator('[data-test="evaluation-form"]');
  const suggested = await page.getAttribute('[data-test="suggested-rating"]', 'data-rating');
  const results = suggested || 'meets';
  if (suggested) {
    // Another results rating than the suggestion needs a note: the form says so before sending.
    await page.check(`[data-test="results-rating-${suggested === 'meets' ? 'above' : 'meets'}"]`);
    await page.check(`[data-test="behaviour-rating-${behaviour}"]`);
    await page.click('[data-test="submit-evaluation"]');
    await page.waitForSelector('[data-test="problem"] [data-field="rating_note"]');
    check(await page.getAttribute('[data-test="evaluation-form"]', 'data-status') === 'open', 'nothing was submitted');
  }
  await page.check(`[data-test="results-rating-${results}"]`);
  await page.check(`[data-test="behaviour-rating-${behaviour}"]`);
  const predicate = await page.getAttribute('[data-test="predicate"]', 'data-predicate');
  const cell = await page.getAttribute(`[data-test="matrix"] td[data-cell="${results}-${behaviour}"]`, 'data-predicate');
  check(predicate === cell, `the predicate shown (${predicate}) is the matrix cell ${results}/${behaviour} (${cell})`);
  const realisation = await page.inputValue('[data-test="realisation-0"]');
  check(realisation.includes('terverifikasi'), `the realisation is prefilled: ${realisation}`);
  await page.click('[data-test="submit-evaluation"]');
  await page.waitForSelector('[data-test="evaluation-form"][data-status="submitted"]');
  await page.click('[data-test="close-evaluation"]');
  await page.waitForSelector('[data-test="evaluation-form"][data-status="closed"]');
  check(await form.count() === 1, 'one form');
  await noLeakedNulls(page);
  return { suggested, results, behaviour, predicate, realisation };
}

/** No "null"/"undefined" leaked into the screen's text (a missing value must read as such in Indonesian). */
export async function noLeakedNulls(page) {
  const text = await page.locator('main').innerText();
  const found = text.match(/.{0,40}\b(null|undefined|NaN)\b.{0,40}/);
  check(!found, `the screen shows a raw value: "${found && found[0]}"`);
}
