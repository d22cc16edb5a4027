// The unit head sees the dashboard change and calibrates, through the UI only. The head keeps the
// dashboard open while the rater, in another browser, accepts a staff member's waiting entries: the
// realisation on the dashboard changes by itself. Then the head calibrates the rater's unit: an
// organisational predicate whose rules the unit breaks shows the violations and blocks finalising;
// one it meets lets the head finalise. Prints what it saw; pytest checks the calibration's state.
import { run, newPage, signIn, go, screenshots, check, noPageErrors, USERS, DESKTOP, PHONE } from './lib.mjs';
import { openEvaluationOf, submitAndClose, noLeakedNulls, acceptGroup } from './roles_lib.mjs';

const UNIT = process.env.CALIBRATION_UNIT || 'dinkes-yankes';
const EMPLOYEE = USERS.employee.nip;

async function kpi(page, name) {
  return page.locator(`[data-test="kpi-${name}"] .value`).innerText();
}

async function waiting(page) {  // "… · N kegiatan menunggu verifikasi" under the realisation
  const note = await page.locator('[data-test="kpi-realisation"] small').innerText();
  return Number((note.match(/(\d+) kegiatan menunggu verifikasi/) || [])[1]);
}

await run(async (browser) => {
  const head = (await newPage(browser, DESKTOP)).page;
  await signIn(head, 'unit_head');
  await go(head, 'unit/dasbor');
  await head.selectOption('[data-test="dashboard-unit"]', UNIT);
  await head.waitForSelector(`[data-test="dashboard"][data-unit="${UNIT}"] [data-test="kpi-realisation"]`);
  const before = await kpi(head, 'realisation');
  const waitingBefore = await waiting(head);
  const noteBefore = await head.locator('[data-test="kpi-realisation"] small').innerText();
  await head.waitForSelector('[data-test="predicate-chart"]');
  await noLeakedNulls(head);
  await screenshots(head, 'head-dashboard');

  // Meanwhile the rater accepts every waiting entry of one staff member (not the demo employee).
  const rater = (await newPage(browser, PHONE)).page;
  await signIn(rater, 'rater');
  await go(rater, 'penilai/kotak-masuk');
  await rater.waitForSelector('[data-test="inbox-entries"]');
  const other = await rater.locator(`[data-test="inbox-entry"]:not([data-nip="${EMPLOYEE}"])`).first().getAttribute('data-nip');
  const ids = await rater.locator(`[data-test="inbox-entry"][data-nip="${other}"]`).evaluateAll((els) => els.map((e) => e.dataset.id));
  await acceptGroup(rater, other, true); // the flagged ones too: this test is about the dashboard

  // The head's dashboard refreshes itself (no reload, no click): fewer entries wait, the realisation counts them.
  // (Realisation per aspect: one person's few days barely move a unit's average, so the waiting count is what shows.)
  await head.waitForFunction((old) => {
    const el = document.querySelector('[data-test="kpi-realisation"] small');
    return el && el.textContent !== old;
  }, noteBefore, { timeout: 60000 });
  const after = await kpi(head, 'realisation');
  const waitingAfter = await waiting(head);
  check(waitingAfter < waitingBefore, `fewer entries wait: ${waitingBefore} -> ${waitingAfter}`);
  check(!Number.isNaN(parseFloat(after)), `the realisation is shown: ${before} -> ${after}`);

  // Calibration needs every evaluation of the unit submitted: the rater finishes an open one if any.
  await go(rater, 'penilai/penilaian');
  await rater.waitForSelector('[data-test="rater-evaluations"]');
  if (await rater.locator(`[data-test="rater-evaluation"][data-nip="${EMPLOYEE}"][data-status="open"]`).count()) {
    await openEvaluationOf(rater, EMPLOYEE);
    await submitAndClose(rater, 'meets');
  }

  await go(head, 'unit/kalibrasi');
  await head.selectOption('[data-test="calibration-unit"]', UNIT);
  await head.waitForSelector(`[data-test="calibration"][data-unit="${UNIT}"] [data-test="calibration-people"]`);
  const period = await head.inputValue('[data-test="calibration-period"]');
  // The head of dinkes is the head of the unit above dinkes-yankes: the screen says they may set its predicate.
  const authority = await head.locator('[data-test="predicate-authority"]').innerText();
  check(await head.getAttribute('[data-test="predicate-authority"]', 'data-may-set') === 'true', `may set: ${authority}`);
  const policy = await head.getAttribute('[data-test="rounding-policy"]', 'data-policy');

  // A predicate the unit cannot meet: its rules are shown broken and finalising is refused with why.
  await head.selectOption('[data-test="org-predicate"]', 'BUTUH_PERBAIKAN');
  await head.fill('[data-test="org-basis"]', 'Laporan kinerja Bidang Pelayanan Kesehatan');
  await head.click('[data-test="set-org-predicate"]');
  await head.waitForSelector('[data-test="rule"][data-code="BUTUH_PERBAIKAN.min_butuh_perbaikan"][data-ok="false"]');
  await head.waitForFunction(() => [...document.querySelectorAll('[data-test="blocked"] li')]
    .some((li) => li.textContent.includes('Butuh Perbaikan paling sedikit 60 %')));
  const blocked = await head.locator('[data-test="blocked"] li').allInnerTexts();
  check(blocked.some((t) => /Butuh Perbaikan paling sedikit 60 %/.test(t)), `why it is blocked: ${blocked.join(' | ')}`);
  await head.click('[data-test="finalise"]');
  const refused = await head.locator('[data-test="finalise-refused"]').innerText();
  check(/Aturan distribusi dilanggar/.test(refused), `the service refused and the console says why: ${refused}`);
  await screenshots(head, 'calibration');

  // Istimewa: only "Sangat Baik at most 70 %", which the unit meets; finalise.
  await head.selectOption('[data-test="org-predicate"]', 'ISTIMEWA');
  await head.fill('[data-test="org-basis"]', 'Hasil evaluasi kinerja unit: target utama tercapai');
  await head.fill('[data-test="org-document"]', '800/45/DINKES/2026');
  await head.click('[data-test="set-org-predicate"]');
  await head.waitForSelector('[data-test="ready"]');
  const rules = await head.locator('[data-test="rule"]').evaluateAll((els) => els.map((e) => [e.dataset.code, e.dataset.ok]));
  await head.click('[data-test="finalise"]');
  await head.waitForSelector('[data-test="calibration-final"]');
  await noLeakedNulls(head);
  noPageErrors(head);
  noPageErrors(rater);
  return { unit: UNIT, period, before, after, staff: other, accepted: ids, blocked, rules, authority, policy };
});
