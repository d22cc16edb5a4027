// Issue 21, the whole round against a real Keycloak: the employee signs in with a password on the
// realm's login page, logs an activity; signs out (the next sign-in asks for a password again); the
// rater signs in with hers, accepts the entry in her inbox, and signs out: the next visit asks for
// the password again. KC_* come from tests/keycloak/test_console_flow.py; prints one JSON line of
// findings that the test checks against the API.
import { run, newPage, signInWithPassword, go, logEntry, check, noPageErrors, BASE_URL } from './lib.mjs';
import { acceptEntry } from './roles_lib.mjs';

const EMPLOYEE = process.env.KC_EMPLOYEE;
const RATER = process.env.KC_RATER;
const TEXT = `Melayani pasien rawat jalan ${process.env.RUN_STAMP}`;

await run(async (browser) => {
  const { page } = await newPage(browser);
  const token = () => page.evaluate(() => JSON.parse(localStorage.getItem('kinerja.session') || '{}').token || null);
  const signOut = async () => {
    await page.click('[data-test="signout"]');
    await page.waitForSelector('[data-test="signin-oidc"]');
    return token();
  };
  const findings = {};

  // The employee: password on Keycloak's page, then one entry on the logging screen.
  await page.goto(BASE_URL + '/');
  findings.loginPage = await signInWithPassword(page, EMPLOYEE, process.env.KC_EMPLOYEE_PASSWORD);
  findings.employeeWho = (await page.textContent('[data-test="who"]')).trim();
  await go(page, 'catat');
  await page.waitForSelector('#log-indicator option:nth-child(2)', { state: 'attached' });
  const item = await logEntry(page, { start: '07:00', end: '07:30', text: TEXT, quantity: 4 });
  findings.entry = await item.getAttribute('data-id');
  await page.waitForSelector(`[data-test="queue-item"][data-id="${findings.entry}"][data-state="sent"]`);
  findings.employeeTokenAfterSignOut = await signOut();

  // The rater, on the same browser: Keycloak asks for a password (the employee's session ended).
  findings.raterLoginPage = await signInWithPassword(page, RATER, process.env.KC_RATER_PASSWORD);
  findings.raterWho = (await page.textContent('[data-test="who"]')).trim();
  await go(page, 'penilai/kotak-masuk');
  await page.waitForSelector('[data-test="inbox-entries"]');
  const waiting = page.locator(`[data-test="inbox-entry"][data-id="${findings.entry}"]`);
  check(await waiting.count() === 1, `the entry ${findings.entry} waits in the rater's inbox`);
  findings.inboxNip = await waiting.getAttribute('data-nip');
  await acceptEntry(page, findings.entry);

  // Sign-out ends Keycloak's session: the next visit asks for the password again.
  findings.raterTokenAfterSignOut = await signOut();
  await page.goto(BASE_URL + '/');
  await page.click('[data-test="signin-oidc"]');
  await page.waitForSelector('#username');
  findings.passwordAskedAgain = new URL(page.url()).pathname;
  page.errors = page.errors.filter((e) => !/401|Failed to load/.test(e));
  noPageErrors(page);
  return findings;
});
