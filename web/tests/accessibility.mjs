// Accessibility (issue 10's quality bar): every screen each demo user can open, at phone and desktop
// width, checked by axe-core (WCAG 2.1 A and AA rules: labels, names, contrast, landmarks, ARIA)
// after it has loaded its data. Prints every serious or critical violation; pytest fails on any.
import { createRequire } from 'node:module';
import { run, newPage, signIn, go, BASE_URL, PHONE, DESKTOP } from './lib.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function audit(page, where) {
  await page.waitForTimeout(600); // the screen's data and live badge settle
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async (tags) => {
    const out = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return out.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })) }));
  }, TAGS);
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ where, ...v }));
}

await run(async (browser) => {
  const violations = [];
  const checked = [];
  for (const [label, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const { context, page } = await newPage(browser, viewport);
    await page.goto(BASE_URL + '/');
    await page.waitForSelector('[data-test^="signin-"]');
    violations.push(...await audit(page, `signin (${label})`));
    checked.push(`signin (${label})`);
    // the public page that checks an official document by its code (issue 17), without sign-in, with an answer
    await page.goto(BASE_URL + '/#/verifikasi?kode=E-0000-0000-0000');
    await page.waitForSelector('[data-test="verify-result"] .problem, [data-test="verify-result"] [data-test="verify-answer"], [data-test="verify-result"] [role="alert"]');
    violations.push(...await audit(page, `verifikasi (${label})`));
    checked.push(`verifikasi (${label})`);
    await page.goto(BASE_URL + '/#/');
    await page.waitForSelector('[data-test^="signin-"]');
    for (const role of ['employee', 'rater', 'unit_head', 'admin']) {
      await signIn(page, role);
      const screens = await page.$$eval('#nav a[href^="#/"]', (links) => links.map((a) => a.getAttribute('href').slice(2)));
      for (const screen of screens) {
        await go(page, screen);
        const where = `${role} ${screen} (${label})`;
        violations.push(...await audit(page, where));
        checked.push(where);
      }
      await page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
    }
    await context.close();
  }
  return { checked, violations };
});
