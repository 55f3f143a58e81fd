// test_admin_map.mjs - the administrator replaces the map's boundary with the
// district's own GeoJSON file, a file that is not a boundary is refused in
// Chinese next to the file input, and the built-in outline can be restored.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, screenshot } from './harness.mjs';

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

const square = {
  type: 'FeatureCollection',
  features: [{
    type: 'Feature',
    properties: { name: '测试区' },
    geometry: {
      type: 'Polygon',
      coordinates: [[[101.78, 36.55], [101.92, 36.55], [101.92, 36.66], [101.78, 36.66], [101.78, 36.55]]],
    },
  }],
};

test('the admin uploads a boundary, is told when a file is not one, and restores the built-in', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'admin');
  await page.goto(server.url + '/#/admin/map');
  await page.waitForSelector('section.card[data-source="builtin"]');
  assert.match(await page.textContent('section.card[data-source]'), /内置示意边界/);

  // not JSON at all
  await page.setInputFiles('input[name=boundary]', { name: 'x.geojson', mimeType: 'application/json', buffer: Buffer.from('不是JSON') });
  await page.click('form button[type=submit]');
  assert.match(await page.textContent('.field-error'), /不是有效的 JSON/);

  // JSON, but a point in Paris
  const paris = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[2.3, 48.8], [2.4, 48.8], [2.4, 48.9], [2.3, 48.8]]] } };
  await page.setInputFiles('input[name=boundary]', { name: 'p.geojson', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(paris)) });
  await page.click('form button[type=submit]');
  await page.waitForFunction(() => /不符合要求/.test(document.querySelector('.field-error')?.textContent || ''));

  await page.setInputFiles('input[name=boundary]', { name: 'd.geojson', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(square)) });
  await page.click('form button[type=submit]');
  await page.waitForSelector('section.card[data-source="uploaded"]');
  assert.match(await page.textContent('section.card[data-source]'), /测试区/);
  await screenshot(page, 'admin-map');

  page.once('dialog', (d) => d.accept());
  await page.click('section.card[data-source] button');
  await page.waitForSelector('section.card[data-source="builtin"]');
  assert.deepEqual(page.errors.filter((e) => !/422|Failed to load resource/.test(e)), []);
});
