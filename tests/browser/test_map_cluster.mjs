// test_map_cluster.mjs - the war map's map with many located items: above 300
// points they are grouped into clusters by light (each cluster counts its
// items, and together they count every located item); zooming in splits them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, screenshot, apiFrom } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/* Creates and assigns n located items spread over the district, as the supervisor. */
async function seed(page, n) {
  return page.evaluate(async (n) => {
    const csrf = sessionStorage.getItem('taizhang.csrf');
    const call = async (method, path, body) => {
      const r = await fetch('/api/v1' + path, {
        method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify(body),
      });
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
      return r.json();
    };
    const units = (await (await fetch('/api/v1/units')).json()).units.filter((u) => u.kind === 'street');
    const deadlines = ['2026-11-20', '2026-12-02', '2027-03-31'];
    const one = async (i) => {
      const it = await call('POST', '/items', {
        ledger: 'rectification', title: `背街小巷环境整治点位 ${i + 1}`,
        lead_unit_id: units[i % units.length].id, deadline: deadlines[i % 3],
        location: { lat: 36.600 + (i % 19) * 0.0024, lon: 101.790 + Math.floor(i / 19) * 0.0047, address: `点位 ${i + 1}` },
      });
      await call('POST', `/items/${it.id}/actions`, { action: 'assign', version: it.version });
    };
    for (let i = 0; i < n; i += 10) {
      await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, k) => one(i + k)));
    }
  }, n);
}

const marks = (page) => page.$eval('.map-canvas', (el) => {
  const series = echarts.getInstanceByDom(el).getOption().series;
  return {
    points: Number(el.dataset.points),
    clustered: el.dataset.clustered,
    items: series.reduce((s, x) => s + x.data.reduce((t, d) => t + (d.count || 1), 0), 0),
    clusters: series.reduce((s, x) => s + x.data.filter((d) => d.count > 1).length, 0),
  };
});

test('above 300 located items the map clusters them, and zooming in splits the clusters', async () => {
  const dcs = await newPage(browser);
  await signIn(dcs, server, 'dcs');
  await seed(dcs, 320);
  await dcs.context().close();

  const page = await newPage(browser);
  await signIn(page, server, 'leader');
  await page.waitForSelector('.warmap[data-loaded]');
  const located = (await apiFrom(page)('GET', '/map/items')).json.items.length;
  assert.ok(located > 300, `${located} located items`);
  const m = await marks(page);
  assert.equal(m.clustered, 'true');
  assert.equal(await page.getAttribute('.map-canvas', 'data-count'), String(located));
  assert.equal(m.items, located, 'the clusters count every located item');
  assert.ok(m.clusters > 0 && m.points < located, JSON.stringify(m));
  const section = await page.$('.wm-map');
  await section.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -70));
  await page.mouse.move(1, 1);
  await screenshot(page, 'map-cluster');

  await page.click('.map-tools button[aria-label="放大"]');
  await page.click('.map-tools button[aria-label="放大"]');
  await page.waitForFunction((n) => Number(document.querySelector('.map-canvas').dataset.points) > n, m.points);
  const z = await marks(page);
  assert.equal(z.items, located, 'still every item after zooming');
  assert.ok(z.points > m.points, `${m.points} marks before zooming in, ${z.points} after`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
