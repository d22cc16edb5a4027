// Shared helpers of the browser tests: launch Debian's Chromium through playwright-core (no browser
// download), sign in as a demo user, take phone and desktop screenshots, report findings as JSON.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8000';
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || '';
export const USERS = JSON.parse(process.env.DEMO_USERS || '{}');
export const PHONE = { width: 360, height: 780 };
export const DESKTOP = { width: 1280, height: 800 };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A new context and page; page errors and failed console messages fail the test at the end (see finish). */
export async function newPage(browser, viewport = PHONE) {
  const context = await browser.newContext({ viewport, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  const page = watchErrors(await context.newPage());
  return { context, page };
}

/** Collect a page's errors and failed console messages (noPageErrors checks them); 20 s default timeout. */
export function watchErrors(page) {
  page.errors = [];
  page.on('pageerror', (err) => page.errors.push(String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource|net::ERR_INTERNET_DISCONNECTED|ERR_NETWORK/.test(msg.text())) {
      page.errors.push(msg.text());
    }
  });
  page.setDefaultTimeout(20000);
  return page;
}

/** Sign in through the development sign-in screen as the demo user of `role`. */
export async function signIn(page, role) {
  await page.goto(BASE_URL + '/');
  await page.click(`[data-test="signin-${role}"]`);
  await page.waitForSelector('[data-test="who"]', { state: 'attached' });
}

/**
 * Sign in through the OpenID Connect provider's login page (Keycloak's form) with a user name and
 * password; returns the login page's path. Used when the console names a provider (config.js oidc).
 */
export async function signInWithPassword(page, user, password) {
  await page.click('[data-test="signin-oidc"]');
  await page.waitForSelector('#username');
  const loginPage = new URL(page.url()).pathname;
  await page.fill('#username', user);
  await page.fill('#password', password);
  await page.click('#kc-login');
  await page.waitForSelector('[data-test="who"]', { state: 'attached' });
  return loginPage;
}

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** On the logging screen (#/catat): log one entry against the first indicator; returns its queue item. */
export async function logEntry(page, { start, end, text, quantity = 1, photo = false }) {
  await page.selectOption('#log-indicator', { index: 1 });
  await page.fill('#log-start', start);
  await page.fill('#log-end', end);
  await page.fill('#log-description', text);
  await page.fill('#log-quantity', String(quantity));
  if (photo) await page.setInputFiles('#log-camera', { name: 'bukti.png', mimeType: 'image/png', buffer: PNG });
  await page.click('[data-test="log-submit"]');
  const item = page.locator('[data-test="queue-item"]', { hasText: text });
  await item.waitFor();
  return item;
}

export async function go(page, route) {
  await page.evaluate((r) => { location.hash = `#/${r}`; }, route);
  await page.waitForSelector(`[data-screen="${route}"]`);
}

/** Save the current screen as docs/screenshots/<name>-<phone|desktop>.png at both widths (from the top,
 * or with the element `focus` names scrolled to the top of the view). */
export async function screenshots(page, name, ready = null, focus = null) {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize();
  for (const [label, size] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    await page.setViewportSize(size);
    if (ready) await ready();
    await page.evaluate(() => {
      document.getElementById('toasts')?.replaceChildren();
      if (document.activeElement) document.activeElement.blur();
      window.scrollTo(0, 0);
    });
    if (focus) await page.evaluate((selector) => document.querySelector(selector)?.scrollIntoView({ block: 'start' }), focus);
    await page.waitForTimeout(150); // layout settles after the resize
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${label}.png`), fullPage: false });
  }
  await page.setViewportSize(original);
}

export function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** Run the test body with a browser; print its findings as one JSON line; exit 1 on failure. */
export async function run(body) {
  const browser = await launch();
  try {
    const findings = await body(browser);
    console.log(JSON.stringify(findings || {}));
  } catch (err) {
    console.error(err && err.stack ? err.stack : err);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

export function noPageErrors(page) {
  check(page.errors.length === 0, `errors in the page: ${page.errors.join(' | ')}`);
}
