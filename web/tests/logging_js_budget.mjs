// Which JavaScript the logging screen loads on a first visit (every module, config.js included).
// The pytest side fetches each one and measures it compressed (gzip).
import { run, newPage, signIn, go, noPageErrors } from './lib.mjs';

await run(async (browser) => {
  const { page } = await newPage(browser);
  await signIn(page, 'employee');
  const scripts = new Set();
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') scripts.add(new URL(response.url()).pathname);
  });
  await page.goto(page.url().split('#')[0] + '#/catat', { waitUntil: 'load' });
  await page.reload({ waitUntil: 'load' }); // a fresh load of the logging screen, signed in
  await go(page, 'catat');
  await page.waitForSelector('#log-indicator option:nth-child(2)', { state: 'attached' });
  noPageErrors(page);
  return { scripts: [...scripts].sort() };
});
