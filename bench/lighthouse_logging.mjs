// Lighthouse on the logging screen (#/catat) as a signed-in employee, on Lighthouse's throttled mobile
// profile (simulated slow 4G and a 4x slower CPU, a phone's screen): performance, accessibility and
// best-practices scores and the main timings, plus the PWA's installability as Chromium itself judges
// it (Lighthouse 12 dropped its PWA category; Page.getInstallabilityErrors is the check it used).
// Run by bench/lighthouse_logging.py against a running console (BASE_URL); prints one JSON line.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(new URL('../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const lighthouse = (await import(require.resolve('lighthouse'))).default;

const BASE_URL = process.env.BASE_URL;
const PORT = Number(process.env.DEBUG_PORT || 9333);
const profile = mkdtempSync(path.join(tmpdir(), 'kinerja-lighthouse-'));
// A persistent profile, not an incognito context: Lighthouse's tab shares the sign-in and the service
// worker, and installability can be judged (nothing is installable in incognito).
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, viewport: { width: 412, height: 823 },
  locale: 'id-ID', timezoneId: 'Asia/Jakarta',
  args: [`--remote-debugging-port=${PORT}`, '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
try {
  const page = context.pages()[0] || await context.newPage();
  await page.goto(`${BASE_URL}/`);
  await page.click('[data-test="signin-employee"]');
  await page.waitForSelector('[data-test="who"]', { state: 'attached' });
  await page.evaluate(() => { location.hash = '#/catat'; });
  await page.waitForSelector('#log-indicator option:nth-child(2)', { state: 'attached' });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  const { errors: manifestErrors } = await cdp.send('Page.getAppManifest');
  const { product } = await cdp.send('Browser.getVersion');

  const result = await lighthouse(`${BASE_URL}/#/catat`, {
    port: PORT, output: 'json', logLevel: 'error', disableStorageReset: true,
    onlyCategories: ['performance', 'accessibility', 'best-practices'],
  });
  const { lhr } = result;
  const score = (id) => Math.round(lhr.categories[id].score * 100);
  const metric = (id) => (lhr.audits[id] ? Math.round(lhr.audits[id].numericValue) : null);
  const failed = Object.values(lhr.audits).filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode === 'binary')
    .map((a) => a.id);
  console.log(JSON.stringify({
    url: lhr.finalDisplayedUrl, lighthouse: lhr.lighthouseVersion, browser: product,
    form_factor: lhr.configSettings.formFactor, throttling: lhr.configSettings.throttlingMethod,
    rtt_ms: lhr.configSettings.throttling.rttMs, throughput_kbps: lhr.configSettings.throttling.throughputKbps,
    cpu_slowdown: lhr.configSettings.throttling.cpuSlowdownMultiplier,
    scores: { performance: score('performance'), accessibility: score('accessibility'), best_practices: score('best-practices') },
    metrics_ms: { fcp: metric('first-contentful-paint'), lcp: metric('largest-contentful-paint'), tbt: metric('total-blocking-time'),
      si: metric('speed-index'), tti: metric('interactive') },
    cls: lhr.audits['cumulative-layout-shift'] ? lhr.audits['cumulative-layout-shift'].numericValue : null,
    installable: installabilityErrors.length === 0 && manifestErrors.length === 0,
    installability_errors: installabilityErrors.map((e) => e.errorId), failed_audits: failed,
  }));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
