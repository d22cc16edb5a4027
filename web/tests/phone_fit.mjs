// Nothing scrolls sideways at 360 px (issue 20): every screen each demo user can open, the rater's
// evaluation form included, has document.scrollWidth within the phone's width; tables are stacked
// cards there, and chart labels are drawn at 12 px or more. Prints what it measured.
import { run, newPage, signIn, go, BASE_URL, PHONE } from './lib.mjs';

async function measure(page, where) {
  await page.waitForTimeout(500); // the screen's data settles
  return page.evaluate((label) => {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    const culprits = overflow > 0 ? [...document.querySelectorAll('main *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1
      && !el.closest('.table-wrap, .sr-only')).slice(0, 3).map((el) => `${el.tagName.toLowerCase()}.${el.className}`) : [];
    const unstacked = [...document.querySelectorAll('main table')].filter((t) => t.dataset.stack !== 'off'
      && getComputedStyle(t).display === 'table').length;
    const small = [...document.querySelectorAll('svg.chart text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)
      .filter((px) => px < 11.95).map((px) => Math.round(px * 10) / 10);
    return { where: label, overflow, culprits, unstacked, small };
  }, where);
}

await run(async (browser) => {
  const { page } = await newPage(browser, PHONE);
  const results = [];
  await page.goto(BASE_URL + '/');
  await page.waitForSelector('[data-test^="signin-"]');
  results.push(await measure(page, 'signin'));
  for (const role of ['employee', 'rater', 'unit_head', 'admin']) {
    await signIn(page, role);
    const screens = await page.$$eval('#nav a[href^="#/"]', (links) => links.map((a) => a.getAttribute('href').slice(2)));
    for (const screen of screens) {
      await go(page, screen);
      results.push(await measure(page, `${role} ${screen}`));
      if (screen === 'penilai/penilaian') {
        const open = page.locator('[data-test="open-evaluation"]').first();
        if (await open.count()) {
          await open.click();
          await page.waitForSelector('[data-test="evaluation-form"]');
          results.push(await measure(page, `${role} ${screen} (formulir)`));
        }
      }
    }
    await page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
  }
  return { results };
});
