// Action plans (rencana aksi) through the UI only, phone-first: the demo employee opens an amendment of the agreed
// action plans (the seed agreed them), adds an action for this month with its target and submits; the rater agrees
// it in "Rencana Aksi Bawahan"; the employee logs an activity choosing that action, which sets the indicator.
// Prints what it did; pytest checks the stored state through the services' APIs.
import { run, newPage, signIn, go, check, noPageErrors, PHONE } from './lib.mjs';

const STAMP = process.env.RUN_STAMP || String(Date.now());
const TEXT = `Aksi uji ${STAMP}`;

async function status(page) {
  return page.locator('[data-test="action-plan-status"]').getAttribute('data-status');
}

await run(async (browser) => {
  const employee = await newPage(browser, PHONE);
  let page = employee.page;
  await signIn(page, 'employee');
  await go(page, 'rencana');
  await page.waitForSelector('[data-test="action-plan-status"]');
  if (await status(page) === 'agreed') {
    await page.fill('#action-amend-reason', `Penambahan aksi bulan ini (${STAMP})`);
    await page.click('[data-test="action-amend-open"]');
    await page.waitForSelector('[data-test="action-plan-status"][data-status="draft"]');
  }
  check(await status(page) === 'draft', 'the action plans can be edited');
  // the unit follows the indicator and cannot drift
  const unit = await page.locator('[data-test="action-unit"]').innerText();
  check(unit.trim() && unit.trim() !== '-', `the indicator's unit is shown: ${unit}`);
  await page.fill('#action-text', TEXT);
  await page.fill('#action-target', '5');
  await page.click('[data-test="action-save"]');
  const item = page.locator('[data-test="action-item"]', { hasText: TEXT });
  await item.waitFor();
  const actionId = await item.getAttribute('data-action-id');
  await page.click('[data-test="action-submit"]');
  await page.waitForSelector('[data-test="action-plan-status"][data-status="submitted"]');
  noPageErrors(page);

  const rater = await newPage(browser, PHONE);
  await signIn(rater.page, 'rater');
  await go(rater.page, 'penilai/rencana-aksi');
  await rater.page.waitForSelector('[data-test="rater-action-plans"], [data-test="problem"], .empty');
  const card = rater.page.locator('[data-test="rater-action-plan"]', { hasText: TEXT });
  check(await card.count() === 1, `the submitted action plan is listed: ${(await rater.page.locator('main').innerText()).slice(0, 600)}`);
  await card.locator('[data-test="action-agree"]').click();
  await card.waitFor({ state: 'detached' });
  noPageErrors(rater.page);
  await rater.context.close();

  await page.reload();
  await go(page, 'rencana');
  await page.waitForSelector('[data-test="action-plan-status"][data-status="agreed"]');

  // activity-service learns the agreed set from ActionPlanAgreed; the month's summary lists it once it has
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date()).slice(0, 7);
  const known = async () => page.evaluate(async ({ month: m, id }) => {
    const { token } = JSON.parse(localStorage.getItem('kinerja.session'));
    const r = await fetch(`/api/v1/summaries/monthly?month=${m}`, { headers: { Authorization: `Bearer ${token}` } });
    return r.ok && (await r.json()).actions.some((a) => a.action_id === id);
  }, { month, id: actionId });
  for (let i = 0; i < 60 && !(await known()); i += 1) await page.waitForTimeout(500);
  check(await known(), 'activity-service knows the agreed action');

  await go(page, 'catat');
  await page.waitForSelector(`[data-test="log-action"] option[value="${actionId}"]`, { state: 'attached' });
  await page.selectOption('[data-test="log-action"]', actionId);
  const indicatorId = await page.inputValue('#log-indicator');
  check(indicatorId, 'choosing the action set the indicator');
  await page.fill('#log-start', '06:00');
  await page.fill('#log-end', '06:30');
  await page.fill('#log-description', `Kegiatan terhadap ${TEXT}`);
  await page.fill('#log-quantity', '2');
  await page.click('[data-test="log-submit"]');
  const queued = page.locator('[data-test="queue-item"]', { hasText: `Kegiatan terhadap ${TEXT}` });
  await queued.waitFor();
  await page.waitForFunction((t) => [...document.querySelectorAll('[data-test="queue-item"]')]
    .some((li) => li.textContent.includes(t) && li.dataset.state !== 'queued'), `Kegiatan terhadap ${TEXT}`, { timeout: 30000 });
  const state = await queued.getAttribute('data-state');
  check(state === 'sent', `the entry was stored (${state}): ${await queued.innerText()}`);
  noPageErrors(page);
  return { action_id: actionId, indicator_id: indicatorId, text: TEXT, activity: await queued.getAttribute('data-id') };
});
