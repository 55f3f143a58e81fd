// test_screen.mjs - 大屏 (#/screen): at 1920×1080 it shows the totals of
// GET /dashboard, the clock with the Chinese date, the map with every located
// item, nothing cut off in any panel and no page error; it follows changes
// pushed by the server within a second.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, screenshot, apiFrom } from './harness.mjs';

let server;
let browser;
let page;

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await newPage(browser, { width: 1920, height: 1080 });
  await signIn(page, server, 'leader');
  await page.goto(server.url + '/#/screen');
  await page.waitForSelector('.screen[data-loaded]');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const num = (key) => page.$eval(`.screen [data-count="${key}"] .num`, (e) => e.textContent);

test('the 大屏 fills 1920×1080 with the totals, the clock and the map', async () => {
  assert.equal(await page.$('#top:not([hidden])'), null, 'no header on the 大屏');
  const dash = (await apiFrom(page)('GET', '/dashboard')).json;
  for (const key of ['open', 'green', 'yellow', 'red', 'closed']) {
    assert.equal(await num(key), String(dash.totals[key]), key);
  }
  assert.match(await page.textContent('.sc-clock .date'), /^\d{4}年\d{1,2}月\d{1,2}日 星期[日一二三四五六]$/);
  assert.match(await page.textContent('.sc-clock .time'), /^\d{2}:\d{2}:\d{2}$/);
  assert.match(await page.textContent('.sc-clock .asof'), /数据日期 2026年11月30日/);
  assert.match(await page.textContent('.sc-brand h1'), /城东区挂图作战/);
  const located = (await apiFrom(page)('GET', '/map/items')).json.items.length;
  assert.equal(await page.getAttribute('.sc-map-canvas', 'data-count'), String(located));
  const redShown = await page.$$eval('.sc-red .red-list li', (li) => li.length);
  assert.ok(redShown > 0 && redShown <= dash.totals.red);
  const layout = await page.evaluate(() => ({
    w: document.documentElement.scrollWidth,
    h: document.documentElement.scrollHeight,
    /* panels whose content is cut: more inside than shows */
    cut: [...document.querySelectorAll('.sc-panel > div')]
      .filter((d) => d.scrollHeight > d.clientHeight + 2 || d.scrollWidth > d.clientWidth + 2)
      .map((d) => d.parentElement.className),
    stage: document.querySelector('.sc-stage').getBoundingClientRect().toJSON(),
  }));
  assert.deepEqual(layout.cut, [], 'nothing overflows its panel');
  assert.ok(layout.w <= 1920 && layout.h <= 1080, JSON.stringify(layout));
  assert.equal(Math.round(layout.stage.width), 1920);
  await page.mouse.move(1, 1);
  await screenshot(page, 'screen');
  assert.deepEqual(page.errors, []);
});

test('the 大屏 scales to a smaller window without overflow', async () => {
  const small = await newPage(browser, { width: 1366, height: 768 });
  await signIn(small, server, 'dcs');
  await small.goto(server.url + '/#/screen');
  await small.waitForSelector('.screen[data-loaded]');
  const box = await small.$eval('.sc-stage', (e) => e.getBoundingClientRect().toJSON());
  assert.ok(box.width <= 1366 + 1 && box.height <= 768 + 1, JSON.stringify(box));
  assert.ok(await small.evaluate(() => document.documentElement.scrollWidth <= 1366));
  assert.deepEqual(small.errors, []);
  await small.context().close();
});

test('a change made through the API shows on the 大屏 within a second', async () => {
  await page.waitForFunction(() => document.querySelector('.live-dot')?.dataset.state === 'open');
  const staff = await newPage(browser);
  await signIn(staff, server, 'dcs');
  const api = apiFrom(staff);
  const open = (await api('GET', '/items?status=assigned&per_page=50')).json.items;
  const item = open[0];
  assert.ok(item, 'the demo has an assigned item');
  const before = Number(await num('open'));
  const shown = page.waitForFunction(
    (n) => document.querySelector('.screen [data-count="open"] .num')?.textContent === String(n),
    before - 1, { timeout: 1500, polling: 50 });
  const t0 = Date.now();
  const r = await api('POST', `/items/${item.id}/actions`,
    { action: 'cancel', version: item.version, comment: '重复交办，撤销' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  await shown;
  assert.ok(Date.now() - t0 < 1500);
  assert.deepEqual(page.errors, []);
  await staff.context().close();
});
