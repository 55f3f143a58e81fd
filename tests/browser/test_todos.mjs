// test_todos.mjs - 待办 (#/todos): the unit's staff sees an item to sign for
// (签收) and follows it to the item page; the header's 待办 link carries the
// count and follows a live change; the supervision office (dcs) sees the
// submitted items waiting for 验收销号.

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

async function badge(page) {
  const el = await page.$('#top nav a[href="#/todos"] .nav-badge');
  return el ? Number(await el.textContent()) : 0;
}

test('zjj_staff sees a 签收 to-do and follows it to the item page', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'zjj_staff');
  const link = await page.waitForSelector('#top nav a[href="#/todos"]');
  assert.match(await link.textContent(), /^待办/);
  await page.waitForSelector('#top nav a[href="#/todos"] .nav-badge');
  const api = apiFrom(page);
  const j = (await api('GET', '/todos')).json;
  assert.ok(j.counts.accept >= 1, JSON.stringify(j.counts));
  await page.waitForFunction((n) => Number(document.querySelector('#top nav a[href="#/todos"] .nav-badge')?.textContent) === n, j.count);

  await page.goto(server.url + '/#/todos');
  const group = await page.waitForSelector('.todo-group.todo-kind-accept');
  assert.match(await group.textContent(), /待签收/);
  await screenshot(page, 'todos');
  const first = j.todos.find((t) => t.kind === 'accept');
  const a = await group.$(`a.todo-title[href="#/items/${first.item.id}"]`);
  assert.ok(a, 'the 签收 to-do links to its item');
  assert.equal(await a.textContent(), first.item.title);
  // urgency: the first entry of the page is the most urgent to-do
  const firstHref = await page.getAttribute('.todo-group .todo-title', 'href');
  assert.equal(firstHref, `#/items/${j.todos.filter((t) => t.kind === j.kinds[0].kind)[0].item.id}`);

  await a.click();
  await page.waitForFunction((id) => location.hash === `#/items/${id}`, first.item.id);
  await page.waitForSelector('.item-head h1');
  assert.equal(await page.textContent('.item-head h1'), first.item.title);

  // signing for it (through the API, as another tab would) takes it off the list, live
  const item = (await api('GET', `/items/${first.item.id}`)).json;
  const r = await api('POST', `/items/${first.item.id}/actions`, { action: 'accept', version: item.version });
  assert.equal(r.status, 200);
  await page.goto(server.url + '/#/todos');
  await page.waitForSelector('.todo-group');
  assert.equal(await page.$(`.todo-kind-accept a.todo-title[href="#/items/${first.item.id}"]`), null);
  const after = (await api('GET', '/todos')).json;
  assert.equal(after.counts.accept || 0, j.counts.accept - 1);
  await page.waitForFunction((n) => {
    const b = document.querySelector('#top nav a[href="#/todos"] .nav-badge');
    return (b ? Number(b.textContent) : 0) === n;
  }, after.count);
  assert.deepEqual(page.errors, []);
});

test('dcs sees the submitted items to verify (验收销号)', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'dcs');
  const api = apiFrom(page);
  const j = (await api('GET', '/todos')).json;
  const submitted = (await api('GET', '/items?status=submitted&per_page=200')).json;
  assert.ok(submitted.total >= 1);
  assert.equal(j.counts.verify, submitted.total);
  await page.goto(server.url + '/#/todos');
  const group = await page.waitForSelector('.todo-group.todo-kind-verify');
  assert.match(await group.textContent(), /待验收销号/);
  const hrefs = await group.$$eval('a.todo-title', (as) => as.map((x) => x.getAttribute('href')));
  assert.deepEqual(hrefs.sort(), submitted.items.map((it) => `#/items/${it.id}`).sort());
  assert.equal(await badge(page), j.count);
  await screenshot(page, 'todos-dcs');

  // a change elsewhere updates the badge without a reload
  const draft = j.todos.find((t) => t.kind === 'assign');
  if (draft) {
    const it = (await api('GET', `/items/${draft.item.id}`)).json;
    const r = await api('POST', `/items/${it.id}/actions`, { action: 'cancel', comment: '不再办理', version: it.version });
    assert.equal(r.status, 200);
    await page.waitForFunction((n) => {
      const b = document.querySelector('#top nav a[href="#/todos"] .nav-badge');
      return (b ? Number(b.textContent) : 0) === n;
    }, j.count - 1);
    await page.waitForFunction((id) => !document.querySelector(`.todo-kind-assign a[href="#/items/${id}"]`), draft.item.id);
  }
  assert.deepEqual(page.errors, []);
});
