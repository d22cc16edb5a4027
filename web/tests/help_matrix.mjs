// Anyone can see how a predicate follows from the two ratings: the matrix explainer is driven by
// mouse and by keyboard over all nine cells, and the distribution calculator gives the bounds for a
// unit's size, both as evaluation-service serves them. Prints what the screens said; pytest compares it
// with evaluation-service's rules.
import { run, newPage, signIn, go, check, noPageErrors, PHONE } from './lib.mjs';

const RATINGS = ['above', 'meets', 'below'];

await run(async (browser) => {
  const { page } = await newPage(browser, PHONE);
  await signIn(page, 'employee');
  await go(page, 'bantuan/matriks');
  const matrix = {};
  for (const [i, r] of RATINGS.entries()) {
    for (const b of RATINGS) {
      const cell = page.locator(`[data-test="matrix-${r}-${b}"]`);
      if (i % 2) {
        await cell.focus();
        await page.keyboard.press('Enter');
      } else {
        await cell.click();
      }
      await page.waitForSelector(`[data-test="matrix-${r}-${b}"][aria-pressed="true"]`);
      matrix[`${r}/${b}`] = await page.getAttribute('[data-test="matrix-predicate"]', 'data-predicate');
    }
  }
  // The radio buttons drive the same answer.
  await page.check('[data-test="pick-results-above"]');
  await page.check('[data-test="pick-behaviour-above"]');
  const sentence = await page.locator('[data-test="matrix-answer"]').innerText();
  check(/Sangat Baik/.test(sentence), `both above: ${sentence}`);

  await go(page, 'bantuan/distribusi');
  const bounds = {};
  for (const [org, size] of [['BAIK', 5], ['ISTIMEWA', 3], ['KURANG', 5], ['BUTUH_PERBAIKAN', 6]]) {
    await page.selectOption('[data-test="calc-org"]', org);
    await page.fill('[data-test="calc-size"]', String(size));
    await page.waitForSelector(`[data-test="calc-result"][data-for="${org}/${size}"]`); // evaluation-service answered
    bounds[`${org}/${size}`] = await page.locator('[data-test="calc-result"] li').allInnerTexts();
  }
  const policy = await page.getAttribute('[data-test="rounding-policy"]', 'data-policy');
  const policyText = await page.locator('[data-test="rounding-policy"]').innerText();
  noPageErrors(page);
  return { matrix, sentence, bounds, policy, policyText };
});
