// test_warmap.mjs - 挂图作战 on the Chengdong demo: the counts are the API's,
// every number leads to exactly the items behind it, the map draws every
// located item and opens one on a click, a unit user sees the figures of their
// own unit, and a change made by someone else shows within a second.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, screenshot, apiFrom } from './harness.mjs';

let server;
let browser;
let leader; /* the leader's page on the war map, shared by the tests that only read */

before(async () => {
  server = await startServer();
  browser = await launch();
  leader = await newPage(browser);
  await signIn(leader, server, 'leader');
  await leader.waitForSelector('.warmap[data-loaded]');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const num = (page, key) => page.$eval(`[data-count="${key}"] .num`, (e) => e.textContent);

/* The total of GET /items for the query of a #/items?... hash. */
async function totalOf(page, hash) {
  assert.match(hash, /^#\/items\?/);
  const r = await apiFrom(page)('GET', `/items?${hash.slice('#/items?'.length)}&per_page=1`);
  assert.equal(r.status, 200, hash);
  return r.json.total;
}

test('the leader lands on the war map and sees the dashboard of GET /dashboard', async () => {
  assert.equal(await leader.evaluate(() => location.hash), '#/map');
  const dash = (await apiFrom(leader)('GET', '/dashboard')).json;
  for (const key of ['open', 'green', 'yellow', 'red', 'closed']) {
    assert.equal(await num(leader, key), String(dash.totals[key]), key);
  }
  assert.ok(dash.totals.open > 0 && dash.totals.red > 0, 'the demo has open and red items');
  const rate = (Math.round(dash.totals.on_time_rate * 1000) / 10).toFixed(1) + '%';
  assert.equal(await num(leader, 'on-time-rate'), rate);
  for (const w of dash.due) {
    assert.equal(await leader.$eval(`[data-due="${w.working_days}"] .num`, (e) => e.textContent),
      String(w.count), `due in ${w.working_days} working days`);
  }
  const units = dash.by_unit.filter((u) => u.open + u.closed > 0).length;
  assert.equal(await leader.$$eval('table.grid tbody tr', (rows) => rows.length), units);
  assert.match(await leader.textContent('.wm-head .sub'), /数据日期 2026年11月30日.*范围：全区/);
  await leader.mouse.move(1, 1);
  await screenshot(leader, 'warmap');
  assert.deepEqual(leader.errors, []);
});

test('every number of the war map leads to exactly the items behind it', async () => {
  const dash = (await apiFrom(leader)('GET', '/dashboard')).json;
  for (const key of ['open', 'green', 'yellow', 'red', 'closed']) {
    const href = await leader.getAttribute(`a[data-count="${key}"]`, 'href');
    assert.equal(await totalOf(leader, href), dash.totals[key], `${key}: ${href}`);
  }
  const cells = await leader.$$eval('table.grid td.cell a', (as) => as.map((a) => ({
    href: a.getAttribute('href'), n: a.querySelector('.n').textContent,
  })));
  assert.ok(cells.length > 20, 'the grid has cells');
  for (const c of cells.filter((x) => x.n !== '✓')) {
    assert.equal(String(await totalOf(leader, c.href)), c.n, c.href);
  }
  for (const w of dash.due) {
    const href = await leader.getAttribute(`[data-due="${w.working_days}"]`, 'href');
    assert.equal(await totalOf(leader, href), w.count, href);
  }
  const redLinks = await leader.$$eval('.red-list li a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(redLinks.length > 0 && redLinks.every((h) => /^#\/items\/\d+$/.test(h)), redLinks.join());
});

test('clicking the red count lands on the red items of the list page', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'leader');
  await page.waitForSelector('.warmap[data-loaded]');
  await page.click('a[data-count="red"]');
  await page.waitForFunction(() => location.hash.startsWith('#/items?'));
  const hash = await page.evaluate(() => location.hash);
  const q = new URLSearchParams(hash.slice('#/items?'.length));
  assert.equal(q.get('light'), 'red');
  const dash = (await apiFrom(page)('GET', '/dashboard')).json;
  assert.equal(await totalOf(page, hash), dash.totals.red);
  await page.context().close();
});

test('the map draws every located item, and a point opens its item', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'leader');
  await page.waitForSelector('.warmap[data-loaded]');
  const located = (await apiFrom(page)('GET', '/map/items')).json.items;
  assert.ok(located.length > 20, 'the demo has located items');
  const drawn = await page.$eval('.map-canvas', (el) => {
    const series = echarts.getInstanceByDom(el).getOption().series;
    return {
      count: el.dataset.count,
      items: series.reduce((s, x) => s + x.data.reduce((t, d) => t + (d.count || 1), 0), 0),
      ids: series.flatMap((x) => x.data.map((d) => d.id)).filter(Boolean).sort((a, b) => a - b),
    };
  });
  assert.equal(drawn.count, String(located.length));
  assert.equal(drawn.items, located.length, 'every located item is a point or in a cluster');
  assert.deepEqual(drawn.ids, located.map((it) => it.id).sort((a, b) => a - b));
  const section = await page.$('.wm-map');
  await section.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -70));
  await page.mouse.move(1, 1);
  await screenshot(page, 'map');
  /* click the first red point where ECharts drew it */
  const target = located.find((it) => it.light === 'red');
  const at = await page.$eval('.map-canvas', (el, p) => {
    const px = echarts.getInstanceByDom(el).convertToPixel({ geoIndex: 0 }, [p.lon, p.lat]);
    const r = el.getBoundingClientRect();
    return { x: r.left + px[0], y: r.top + px[1] };
  }, target);
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction(() => /^#\/items\/\d+$/.test(location.hash));
  const id = Number((await page.evaluate(() => location.hash)).split('/').pop());
  const same = located.filter((it) => Math.abs(it.lon - target.lon) < 1e-4 && Math.abs(it.lat - target.lat) < 1e-4);
  assert.ok(same.some((it) => it.id === id), `opened item ${id}, expected one at the clicked point`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('at 1920×1080 the war map fits the width', async () => {
  const page = await newPage(browser, { width: 1920, height: 1080 });
  await signIn(page, server, 'leader');
  await page.waitForSelector('.warmap[data-loaded]');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 1920), 'no sideways scroll');
  await page.mouse.move(1, 1);
  await screenshot(page, 'warmap-1920');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a unit user sees the war map of their own unit', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'zjj_staff');
  await page.goto(server.url + '/#/map');
  await page.waitForSelector('.warmap[data-loaded]');
  const dash = (await apiFrom(page)('GET', '/dashboard')).json;
  const all = (await apiFrom(leader)('GET', '/dashboard')).json;
  assert.ok(dash.totals.open < all.totals.open, 'a smaller scope than the district');
  assert.equal(await num(page, 'open'), String(dash.totals.open));
  assert.equal(await num(page, 'red'), String(dash.totals.red));
  assert.match(await page.textContent('.wm-head .sub'), /范围：区住房和城乡建设局及下级单位/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a change made by someone else shows on the war map within a second', async () => {
  await leader.goto(server.url + '/#/map');
  await leader.waitForSelector('.warmap[data-loaded]');
  await leader.waitForSelector('.live-dot[data-state="open"]');
  const dcs = await newPage(browser);
  await signIn(dcs, server, 'dcs');
  const api = apiFrom(dcs);
  const drafts = (await api('GET', '/items?status=draft&per_page=50')).json.items;
  const item = drafts.find((it) => it.lead_unit_id && it.deadline);
  assert.ok(item, 'the demo has a draft ready to assign');
  const before = Number(await num(leader, 'open'));
  const shown = leader.waitForFunction(
    (n) => document.querySelector('[data-count="open"] .num')?.textContent === String(n),
    before + 1, { timeout: 1500, polling: 50 });
  const t0 = Date.now();
  const r = await api('POST', `/items/${item.id}/actions`, { action: 'assign', version: item.version });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  await shown;
  const ms = Date.now() - t0;
  assert.ok(ms < 1500, `shown after ${ms} ms`);
  assert.deepEqual(leader.errors, []);
  await dcs.context().close();
});
