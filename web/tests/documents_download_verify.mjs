// Official documents (issue 17): the employee downloads the SKP with "Unduh PDF" on the plan screen, then
// anyone (no sign-in) checks it on the public verify page, by its code and by the downloaded file itself.
// Prints what the pages said; pytest compares it with the verify endpoint's answer through the gateway.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { run, newPage, signIn, go, check, noPageErrors, BASE_URL, PHONE } from './lib.mjs';

await run(async (browser) => {
  const { context, page } = await newPage(browser, PHONE);
  await signIn(page, 'employee');
  await go(page, 'rencana');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test="download-pdf"]')]);
  const file = await download.path();
  const bytes = readFileSync(file);
  check(bytes.subarray(0, 5).toString() === '%PDF-', 'the download is a PDF');
  const shown = await page.locator('[data-test="document-code"]').innerText();
  const code = shown.split(':').pop().trim();
  noPageErrors(page);
  await context.close();

  const visitor = await newPage(browser, PHONE); // a new browser context: nobody signed in
  await visitor.page.goto(`${BASE_URL}/#/verifikasi?kode=${code}`);
  await visitor.page.waitForSelector('[data-test="verify-answer"]');
  const status = await visitor.page.getAttribute('[data-test="verify-answer"]', 'data-status');
  const answer = await visitor.page.locator('[data-test="verify-answer"]').innerText();
  await visitor.page.setInputFiles('[data-test="verify-file"]', { name: download.suggestedFilename(), mimeType: 'application/pdf', buffer: bytes });
  await visitor.page.click('[data-test="verify-submit"]');
  await visitor.page.waitForSelector('[data-test="verify-match"]');
  const matches = await visitor.page.getAttribute('[data-test="verify-match"]', 'data-matches');
  noPageErrors(visitor.page);
  return { filename: download.suggestedFilename(), code, sha256: createHash('sha256').update(bytes).digest('hex'),
    status, answer, matches };
});
