// node page_check.mjs URL OUT.json [SCREENSHOT.png]: opens the zoo page in headless Chromium
// (@sparticuz/chromium's build, driven by playwright-core), clicks "generate" on every entry
// that has a TF.js model (seed 3, the last class, truncation 0.5, the second source example
// where the entry has those controls), and writes per entry the inputs the page fed
// (zoo.last) and the canvas's RGB pixels. tests/formats/test_page.py compares them with the
// SavedModel. With SCREENSHOT, a full-page PNG (the README's picture).
import fs from 'node:fs';
import chromium from '@sparticuz/chromium';
import { chromium as playwright } from 'playwright-core';

const [url, outPath, screenshot] = process.argv.slice(2);
const browser = await playwright.launch({ executablePath: await chromium.executablePath(),
  args: chromium.args, headless: true });
const results = { browser: browser.version(), entries: {} };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready || document.body.dataset.error,
    null, { timeout: 60000 });
  const failed = await page.evaluate(() => document.body.dataset.error);
  if (failed) throw new Error('page failed: ' + failed);
  results.backend = await page.evaluate(() => tf.getBackend());
  const names = await page.evaluate(() => zoo.entries.filter((e) => e.tfjs).map((e) => e.name));
  results.listed = await page.evaluate(() => zoo.entries.map((e) => e.name));
  for (const name of names) {
    const card = page.locator(`#entry-${name}`);
    await card.locator('input[name=seed]').fill('3');
    for (const select of await card.locator('select').all()) {
      const options = await select.locator('option').count();
      const which = (await select.getAttribute('name')) === 'source' ? 1 : options - 1;
      await select.selectOption(String(which));
    }
    if (await card.locator('input[name=truncation]').count()) {
      await card.locator('input[name=truncation]').fill('0.5');
    }
    await card.locator('button[name=generate]').click();
    await page.waitForFunction((n) => {
      const c = document.querySelector(`#entry-${n} canvas`);
      return c.dataset.generated === '1' || c.dataset.error;
    }, name, { timeout: 60000 });
    results.entries[name] = await page.evaluate((n) => {
      const c = document.querySelector(`#entry-${n} canvas`);
      if (c.dataset.error) return { error: c.dataset.error };
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const rgb = [];
      for (let i = 0; i < data.length; i += 4) rgb.push(data[i], data[i + 1], data[i + 2]);
      return { inputs: zoo.last[n], width: c.width, height: c.height, rgb };
    }, name);
  }
  results.errors = errors;
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
} finally {
  await browser.close();
}
fs.writeFileSync(outPath, JSON.stringify(results));
