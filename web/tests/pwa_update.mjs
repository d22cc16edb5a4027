// An update of the installed console (issue 20): a changed file in the web root makes a new service
// worker version; it installs beside the running one, the page announces it in Bahasa Indonesia, the
// old version keeps serving until the app is opened again, and then only the new cache remains.
// WEB_COPY: the web root the gateway at BASE_URL serves (a copy the test may change).
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { run, newPage, watchErrors, check, noPageErrors, BASE_URL } from './lib.mjs';

const WEB_COPY = process.env.WEB_COPY;

const shellCaches = (page) => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('kinerja-shell-')).sort());

await run(async (browser) => {
  check(WEB_COPY, 'WEB_COPY names the web root to change');
  const { context, page } = await newPage(browser);
  await page.goto(BASE_URL + '/');
  await page.waitForSelector('[data-test^="signin-"]');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
  const [before] = await shellCaches(page);
  check(before, 'the first version is cached');

  // A release: one style sheet changes. The worker is checked (as at every open) and the new one waits.
  appendFileSync(path.join(WEB_COPY, 'src', 'styles.css'), '\n/* rilis berikutnya */\n');
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  await page.waitForSelector('[data-test="update-banner"]:not([hidden])', { timeout: 30000 });
  const banner = await page.locator('[data-test="update-banner"]').innerText();
  check(/Versi baru Kinerja/.test(banner) && /dibuka lagi/.test(banner), `the update is announced in Bahasa Indonesia: ${banner}`);
  const during = await shellCaches(page);
  check(during.length === 2 && during.includes(before), `the running version keeps its cache until the next open: ${during}`);
  await page.close();

  // The next open: the new version serves and the old cache is gone.
  const next = watchErrors(await context.newPage());
  await next.goto(BASE_URL + '/');
  await next.waitForSelector('[data-test^="signin-"]');
  await next.waitForFunction(async (old) => {
    const keys = (await caches.keys()).filter((k) => k.startsWith('kinerja-shell-'));
    return keys.length === 1 && keys[0] !== old;
  }, before, { timeout: 30000, polling: 250 });
  const [after] = await shellCaches(next);
  const served = await next.evaluate(async () => (await (await caches.open((await caches.keys())[0])).match('/src/styles.css')).text());
  check(served.includes('rilis berikutnya'), 'the new cache holds the changed file');
  const version = await next.evaluate(() => new Promise((resolve) => {
    navigator.serviceWorker.addEventListener('message', (e) => { if (e.data.type === 'version') resolve(e.data.version); });
    navigator.serviceWorker.controller.postMessage({ type: 'version' });
  }));
  check(`kinerja-shell-${version}` === after, `the controlling worker is the new version (${version})`);
  noPageErrors(next);
  return { before, after, banner };
});
