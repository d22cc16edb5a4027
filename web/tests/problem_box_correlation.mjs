// A refusal in the console shows, in Bahasa Indonesia, the field it names and the correlation id the
// service logged it under (selectable and copyable, as support asks for it); the console's icon loads.
// Prints what it saw; pytest compares the id with the response's X-Correlation-ID.
import { run, newPage, signIn, go, check, noPageErrors, BASE_URL } from './lib.mjs';

await run(async (browser) => {
  const { context, page } = await newPage(browser);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
  const icons = [];
  page.on('response', (response) => {
    if (/\/favicon\.(ico|svg)$/.test(new URL(response.url()).pathname)) icons.push([new URL(response.url()).pathname, response.status()]);
  });
  await signIn(page, 'admin');
  await go(page, 'admin/periode');
  await page.waitForSelector('[data-test="periods"] tbody tr');
  const period = await page.locator('[data-test="periods"] tbody tr').first().getAttribute('data-period');

  // A unit id longer than the API allows: the service refuses it (422) and names the field.
  await page.fill('[data-test="open-unit"]', 'u'.repeat(65));
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().includes(`/api/v1/periods/${period}/open`)),
    page.click(`[data-test="open-${period}"]`),
  ]);
  const box = page.locator('[data-test="problem"]');
  await box.waitFor();
  const shown = (await box.locator('[data-test="correlation-id"]').innerText()).trim();
  const boxText = await box.innerText();
  const field = await box.locator('[data-field="unit_id"]').innerText();
  const userSelect = await box.locator('[data-test="correlation-id"]').evaluate((el) => getComputedStyle(el).userSelect);
  await box.locator('[data-test="copy-correlation-id"]').click();
  const copied = await page.evaluate(async () => {
    try { return await navigator.clipboard.readText(); } catch (err) { return window.getSelection().toString(); }
  });
  check(copied === shown, `the copy button copies the id (${copied} vs ${shown})`);

  // The icons index.html names are served (a browser asks for /favicon.ico on every page too).
  const direct = await page.request.get(BASE_URL + '/favicon.ico');
  noPageErrors(page);
  return {
    status: answer.status(), header: answer.headers()['x-correlation-id'] || null, shown, boxText, field, userSelect,
    contentLanguage: answer.headers()['content-language'] || null, icons, faviconStatus: direct.status(),
    faviconType: direct.headers()['content-type'] || '',
  };
});
