// Issue 21: the console signs in through a real Keycloak (authorization code + PKCE), renews its
// token before it expires, says so in Bahasa Indonesia when the session ends at the provider, and
// signing out ends the session there too. KC_* come from
// tests/keycloak/test_console_signin.py; prints one JSON line of findings.
import { launch, newPage, signInWithPassword, BASE_URL } from './lib.mjs';

const USER = process.env.KC_USER;
const PASSWORD = process.env.KC_PASSWORD;
const LOGOUT_URL = process.env.KC_LOGOUT_URL; // admin REST: POST ends the user's sessions
const ADMIN_TOKEN_URL = process.env.KC_ADMIN_TOKEN_URL; // master realm, admin-cli
const ADMIN_PASSWORD = process.env.KC_ADMIN_PASSWORD;

const findings = {};
const browser = await launch();
try {
  const { page } = await newPage(browser);
  page.errors = [];
  const token = () => page.evaluate(() => JSON.parse(localStorage.getItem('kinerja.session') || '{}').token || null);
  const claims = (t) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString());
  const signInThroughKeycloak = async () => {
    findings.loginPage = await signInWithPassword(page, USER, PASSWORD);
  };

  await page.goto(BASE_URL + '/');
  findings.devSignInOffered = await page.locator('[data-test^="signin-employee"]').count();
  await signInThroughKeycloak();
  findings.who = (await page.textContent('[data-test="who"]')).trim();
  const first = await token();
  findings.nip = claims(first).nip;
  findings.api = await page.evaluate(async (t) => (await fetch('/api/v1/notifications/unread-count',
    { headers: { Authorization: `Bearer ${t}`, Accept: 'application/json' } })).status, first);

  // renewal: a new token before the first one expires, still accepted
  await page.waitForFunction((old) => {
    const t = JSON.parse(localStorage.getItem('kinerja.session') || '{}').token;
    return t && t !== old;
  }, first, { timeout: 60000 });
  const renewed = await token();
  findings.renewedBeforeExpiry = claims(renewed).iat < claims(first).exp;
  findings.renewedApi = await page.evaluate(async (t) => (await fetch('/api/v1/notifications/unread-count',
    { headers: { Authorization: `Bearer ${t}`, Accept: 'application/json' } })).status, renewed);

  // the session ends at Keycloak (an admin signs the user out): the next renewal is refused
  const admin = await (await fetch(ADMIN_TOKEN_URL, { method: 'POST', body: new URLSearchParams({
    grant_type: 'password', client_id: 'admin-cli', username: 'admin', password: ADMIN_PASSWORD }) })).json();
  const ended = await fetch(LOGOUT_URL, { method: 'POST', headers: { Authorization: `Bearer ${admin.access_token}` } });
  findings.adminLogout = ended.status;
  await page.waitForSelector('[data-test="session-ended"]', { timeout: 60000 });
  findings.sessionEndedText = (await page.textContent('[data-test="session-ended"]')).trim();

  // sign in again, then sign out: Keycloak's session ends, the next sign-in asks for the password
  await signInThroughKeycloak();
  await page.click('[data-test="signout"]');
  await page.waitForSelector('[data-test="signin-oidc"]');
  findings.afterSignOut = await token();
  await page.click('[data-test="signin-oidc"]');
  await page.waitForSelector('#username');
  findings.passwordAskedAgain = true;
  findings.errors = page.errors.filter((e) => !/401|502|503|Failed to load/.test(e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
