// test_reports.mjs - the printed documents in the UI on the Chengdong demo: the
// war map's 打印通报 control defaults to the demo's week and its link fetches a
// PDF of that period; an item under 督办 (or red) offers 督办单, whose link
// fetches a PDF; an item neither supervised nor red offers none. Fetched with
// the page's own session cookie, as a click would.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, screenshot, apiFrom } from './harness.mjs';

let server;
let browser;
let page;

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await newPage(browser);
  await signIn(page, server, 'dcs');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/* GET href with the page's cookie: {status, type, head (first bytes as text)}. */
async function fetchHead(href) {
  return page.evaluate(async (url) => {
    const r = await fetch(url);
    const b = new Uint8Array(await r.arrayBuffer());
    return {
      status: r.status, type: r.headers.get('content-type'),
      disposition: r.headers.get('content-disposition'),
      head: String.fromCharCode(...b.slice(0, 5)), size: b.length,
    };
  }, href);
}

test('the war map prints the bulletin of this week', async () => {
  await page.goto(server.url + '/#/map');
  await page.waitForSelector('.warmap[data-loaded]');
  const ctl = page.locator('.bulletin-print');
  // 2026-11-30 is a Monday: "this week" is the week just ended
  assert.equal(await ctl.locator('input[name=bulletin-from]').inputValue(), '2026-11-23');
  assert.equal(await ctl.locator('input[name=bulletin-to]').inputValue(), '2026-11-29');
  const link = ctl.locator('a[data-bulletin]');
  assert.equal(await link.textContent(), '打印通报');
  assert.equal(await link.getAttribute('target'), '_blank');
  const href = await link.getAttribute('href');
  assert.match(href, /^\/api\/v1\/reports\/bulletin\.pdf\?from=2026-11-23&to=2026-11-29&inline=1$/);
  const r = await fetchHead(href);
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/pdf');
  assert.equal(r.head, '%PDF-');
  assert.match(r.disposition, /^inline; /);
  // another period: the link follows the dates
  await ctl.locator('input[name=bulletin-from]').fill('2026-11-01');
  await ctl.locator('input[name=bulletin-from]').dispatchEvent('change');
  assert.match(await link.getAttribute('href'), /from=2026-11-01&to=2026-11-29/);
  await screenshot(page, 'reports-warmap-print');
  assert.deepEqual(page.errors, []);
});

test('an item under 督办 offers its 督办单, a quiet one does not', async () => {
  const api = apiFrom(page);
  const sup = (await api('GET', '/items?supervised=1&status=in_progress,assigned&per_page=1')).json.items[0];
  assert.ok(sup, 'the demo has a supervised open item');
  await page.goto(server.url + `/#/items/${sup.id}`);
  const link = page.locator(`a[data-notice="${sup.id}"]`);
  await link.waitFor();
  assert.equal(await link.textContent(), '督办单');
  const href = await link.getAttribute('href');
  assert.equal(href, `/api/v1/items/${sup.id}/notice.pdf?inline=1`);
  const r = await fetchHead(href);
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/pdf');
  assert.equal(r.head, '%PDF-');
  await screenshot(page, 'reports-item-notice-link');

  const quiet = (await api('GET', '/items?status=in_progress&light=green&per_page=50')).json.items
    .find((i) => i.supervised === 0);
  assert.ok(quiet, 'the demo has a green item without 督办');
  await page.goto(server.url + `/#/items/${quiet.id}`);
  await page.waitForSelector('.item-title h1');
  assert.equal(await page.locator('a[data-notice]').count(), 0);
  assert.deepEqual(page.errors, []);
});
