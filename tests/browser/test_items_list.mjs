// test_items_list.mjs - the ledger list #/items: the hash carries the query of
// GET /api/v1/items (so other pages link to exactly the items behind a
// number), filters, field filters of one ledger, sorting by column headers,
// paging, the keyboard, the Excel link appearing only once the API lists it,
// and the create form's 422 next to a ledger field.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, screenshot } from './harness.mjs';
import { jsErrors, watchFailures } from './items_helpers.mjs';

let server;
let browser;
let dcs;

/* Opens the list at HASH and waits for its rows (or its empty state). */
async function openList(page, hash) {
  const done = page.waitForResponse((r) => r.url().includes('/api/v1/items?') || r.url().endsWith('/api/v1/items'));
  const url = `${server.url}/${hash}`;
  // the same URL again is no navigation at all: reload instead
  if (page.url() === url) await page.reload();
  else await page.goto(url);
  await done;
  await page.waitForSelector('.items-list:not([aria-busy]) table, .items-list:not([aria-busy]) .empty');
}

/* Waits for the list to be asked again after a change, and for the rows it answered. */
async function reloaded(page, change) {
  const done = page.waitForResponse((r) => r.url().includes('/api/v1/items'));
  await change();
  const res = await done;
  await page.waitForSelector('.items-list:not([aria-busy])');
  return new URL(res.url());
}

const column = (page, cls) => page.$$eval(`.items-table tbody td.${cls}`, (t) => t.map((x) => x.textContent));
const hashParams = (page) => page.evaluate(() => Object.fromEntries(new URLSearchParams(location.hash.split('?')[1] || '')));

before(async () => {
  server = await startServer();
  browser = await launch();
  dcs = watchFailures(await newPage(browser));
  await signIn(dcs, server, 'dcs');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the hash is the API query, and the filters show it', async () => {
  const hash = '#/items?ledger=hazard&light=red,yellow&unit=12&status=in_progress,assigned&due_before=2026-12-31&supervised=1&q=商业&sort=-updated_at';
  const asked = dcs.waitForRequest((r) => r.url().includes('/api/v1/items?'));
  await openList(dcs, hash);
  const q = new URL((await asked).url()).searchParams;
  assert.equal(q.get('ledger'), 'hazard');
  assert.equal(q.get('light'), 'red,yellow');
  assert.equal(q.get('unit'), '12');
  assert.equal(q.get('status'), 'in_progress,assigned');
  assert.equal(q.get('due_before'), '2026-12-31');
  assert.equal(q.get('supervised'), '1');
  assert.equal(q.get('q'), '商业');
  assert.equal(q.get('sort'), '-updated_at');
  assert.deepEqual(await column(dcs, 'code'), ['YH-2026-0002']);
  assert.equal(await dcs.inputValue('select[name=ledger]'), 'hazard');
  assert.equal(await dcs.inputValue('select[name=unit]'), '12');
  assert.equal(await dcs.inputValue('select[name=supervised]'), '1');
  assert.equal(await dcs.inputValue('input[name=q]'), '商业');
  assert.equal(await dcs.inputValue('input[name=due_before]'), '2026-12-31');
  assert.equal(await dcs.getAttribute('.chip[data-light=red]', 'aria-pressed'), 'true');
  assert.equal(await dcs.getAttribute('.chip[data-light=green]', 'aria-pressed'), 'false');
  assert.match(await dcs.textContent('.multi-value'), /已交办、办理中|办理中、已交办/);
  assert.equal(await dcs.getAttribute('th:has(button[data-sort=updated_at])', 'aria-sort'), 'descending');
  assert.match(await dcs.textContent('.page-head h1'), /台账 · 隐患排查治理\s*共 1 项/);
});

test('a filter the API refuses is said in Chinese, with a way back to all items', async () => {
  await openList(dcs, '#/items?per_page=500');
  assert.match(await dcs.textContent('.items-list [role=alert]'), /^筛选条件有误（per_page），请修改筛选条件或查看全部事项。/);
  assert.ok(await dcs.$('.items-list a[href="#/items"]'));
});

test('a drill-down\'s conditions without a control are said in words and can be removed', async () => {
  await openList(dcs, '#/items?lead=4&received=remind&received_by=4');
  const conds = await dcs.$$eval('.conds .cond', (c) => c.map((x) => x.firstChild.textContent));
  assert.deepEqual(conds, ['牵头单位：区住房和城乡建设局', '收到过催办（区住房和城乡建设局）']);
  const url = await reloaded(dcs, () => dcs.click('.cond button[aria-label^="去掉条件：收到过催办"]'));
  assert.equal(url.searchParams.get('received'), null);
  assert.equal(url.searchParams.get('received_by'), null);
  assert.equal(url.searchParams.get('lead'), '4');
  assert.deepEqual(await hashParams(dcs), { lead: '4' });
});

test('changing filters rewrites the hash and the rows', async () => {
  await openList(dcs, '#/items');
  assert.match(await dcs.textContent('.pager .total'), /共 9\d 项/);
  let url = await reloaded(dcs, () => dcs.click('.chip[data-light=red]'));
  assert.equal(url.searchParams.get('light'), 'red');
  assert.deepEqual((await hashParams(dcs)).light, 'red');
  assert.equal(await dcs.evaluate(() => document.activeElement.dataset.light), 'red', 'focus stays on the chip');
  assert.equal(await dcs.getAttribute('.chip[data-light=red]', 'aria-pressed'), 'true');
  assert.ok((await dcs.$$eval('.items-table tbody .light', (l) => l.map((x) => x.textContent))).every((t) => t === '红灯'));

  url = await reloaded(dcs, () => dcs.selectOption('select[name=ledger]', 'hazard'));
  assert.equal(url.searchParams.get('ledger'), 'hazard');
  assert.deepEqual(await hashParams(dcs), { light: 'red', ledger: 'hazard' });

  // one ledger: its enum fields become filters (f.grade)
  url = await reloaded(dcs, () => dcs.selectOption('select[name="f.grade"]', '重大'));
  assert.equal(url.searchParams.get('f.grade'), '重大');
  assert.match(await dcs.evaluate(() => location.hash), /f\.grade=%E9%87%8D%E5%A4%A7/);
  assert.deepEqual(await column(dcs, 'code'), ['YH-2026-0002']);

  // a status chosen in the status menu
  url = await reloaded(dcs, async () => {
    await dcs.click('.multi > summary');
    await dcs.check('.multi-menu input[value=closed]');
  });
  assert.equal(url.searchParams.get('status'), 'closed');
  assert.ok(await dcs.$('details.multi[open] input[value=closed]:checked:focus'), 'the menu stays open, focus on the choice');
  await dcs.keyboard.press('Escape');
  assert.equal(await dcs.$('details.multi[open]'), null, 'Escape closes the menu');
  await dcs.waitForSelector('.items-list .empty');
  assert.match(await dcs.textContent('.items-list .empty'), /没有符合条件的事项/);

  // another ledger drops the first one's field filters; 清除筛选 drops everything
  url = await reloaded(dcs, () => dcs.selectOption('select[name=ledger]', 'petition'));
  assert.equal(url.searchParams.get('f.grade'), null);
  assert.ok(await dcs.$('select[name="f.backlog"]'), 'a petition\'s yes/no field is a filter');
  await reloaded(dcs, () => dcs.click('button.clear'));
  assert.equal(await dcs.evaluate(() => location.hash), '#/items');

  // the text search waits for typing to stop, then asks once
  url = await reloaded(dcs, () => dcs.fill('input[name=q]', '湟水'));
  assert.equal(url.searchParams.get('q'), '湟水');
  const titles = await column(dcs, 'title');
  assert.ok(titles.filter((t) => t.includes('湟水')).length >= 5, titles.join('|'));
  assert.match(await dcs.textContent('.pager .total'), /共 [1-9] 项/);
  assert.equal(await dcs.evaluate(() => document.activeElement.name), 'q', 'focus stays in the search box');

  // back returns to the filters before 清除筛选 (the search replaced its own entry)
  await dcs.goBack();
  await dcs.waitForFunction(() => /ledger=petition/.test(location.hash));
  await dcs.waitForSelector('.items-list:not([aria-busy]) .empty');
  assert.equal(await dcs.inputValue('select[name=ledger]'), 'petition');
});

test('sorting by a column header, both ways, by mouse or keyboard', async () => {
  await openList(dcs, '#/items?ledger=project');
  let url = await reloaded(dcs, () => dcs.click('button[data-sort=deadline]'));
  assert.equal(url.searchParams.get('sort'), 'deadline');
  const days = async () => (await column(dcs, 'deadline')).map((d) => {
    const m = /(\d+)年(\d+)月(\d+)日/.exec(d);
    return m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : null;
  }).filter((x) => x !== null);
  const asc = await days();
  assert.ok(asc.length > 5);
  assert.deepEqual(asc, [...asc].sort((a, b) => a - b));
  assert.equal(await dcs.getAttribute('th:has(button[data-sort=deadline])', 'aria-sort'), 'ascending');
  url = await reloaded(dcs, async () => {
    await dcs.focus('button[data-sort=deadline]');
    await dcs.keyboard.press('Enter');
  });
  assert.equal(url.searchParams.get('sort'), '-deadline');
  const desc = await days();
  assert.deepEqual(desc, [...asc].sort((a, b) => b - a));
  assert.equal(await dcs.getAttribute('th:has(button[data-sort=deadline])', 'aria-sort'), 'descending');
  assert.equal(await dcs.evaluate(() => document.activeElement.dataset.sort), 'deadline', 'focus stays on the header');

  // the light sorts red first on the first click
  url = await reloaded(dcs, () => dcs.click('button[data-sort=light]'));
  assert.equal(url.searchParams.get('sort'), '-light');
  assert.equal(await dcs.textContent('.items-table tbody tr:first-child .light'), '红灯');
});

test('paging: total, pages, page size', async () => {
  await openList(dcs, '#/items?sort=code');
  const total = Number(/共 (\d+) 项/.exec(await dcs.textContent('.pager .total'))[1]);
  assert.equal(await dcs.$$eval('.items-table tbody tr', (r) => r.length), 25);
  const first = await column(dcs, 'code');
  let url = await reloaded(dcs, () => dcs.click('.pager button:text-is("下一页")'));
  assert.equal(url.searchParams.get('page'), '2');
  assert.equal((await hashParams(dcs)).page, '2');
  assert.equal(await dcs.getAttribute('.pager button[aria-current=page]', 'aria-label'), '第 2 页');
  assert.notDeepEqual(await column(dcs, 'code'), first);
  url = await reloaded(dcs, () => dcs.selectOption('.pager select[name=per_page]', '50'));
  assert.equal(url.searchParams.get('per_page'), '50');
  assert.equal(url.searchParams.get('page'), null, 'a new page size starts at page 1');
  assert.equal(await dcs.$$eval('.items-table tbody tr', (r) => r.length), 50);
  url = await reloaded(dcs, () => dcs.click(`.pager button[aria-label="第 ${Math.ceil(total / 50)} 页"]`));
  assert.equal(await dcs.$$eval('.items-table tbody tr', (r) => r.length), total - 50);
});

test('rows show code, title, ledger, unit, deadline, status, light and progress; a title opens the item by keyboard', async () => {
  await openList(dcs, '#/items?q=ZG-2026-0015');
  const cells = await dcs.$$eval('.items-table tbody tr:first-child td', (t) => t.map((x) => x.textContent));
  assert.deepEqual(cells.slice(0, 7), ['ZG-2026-0015', '老旧小区改造工程质量问题整改不及时', '巡视巡察整改', '区住房和城乡建设局',
    '2026年11月20日', '申请销号', '红灯']);
  assert.match(cells[7], /100%/);
  await dcs.focus('.items-table tbody tr:first-child td.title a');
  await dcs.keyboard.press('Enter');
  await dcs.waitForFunction(() => location.hash === '#/items/15');
  await dcs.waitForSelector('.item-head h1');
});

test('the Excel link appears now that the API lists the export, and downloads the workbook', async () => {
  await openList(dcs, '#/items?ledger=hazard');
  await dcs.waitForSelector('.head-tools a:text-is("新建事项")');
  const link = dcs.locator('a[data-export]');
  await link.waitFor();
  assert.equal(await link.textContent(), '导出 Excel');
  const href = await link.getAttribute('href');
  assert.equal(href, '/api/v1/ledgers/hazard/export.xlsx');
  const got = await dcs.evaluate(async (u) => {
    const r = await fetch(u, { credentials: 'same-origin' });
    return { status: r.status, type: r.headers.get('content-type'), magic: new Uint8Array(await r.arrayBuffer()).slice(0, 2) };
  }, href);
  assert.equal(got.status, 200);
  assert.equal(got.type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.deepEqual(Object.values(got.magic), [0x50, 0x4b], 'a zip (PK)');

  // the workbook holds what the list shows: its filters travel with the link
  await openList(dcs, '#/items?ledger=hazard&light=red&sort=-updated_at&page=1');
  await dcs.locator('a[data-export]').waitFor();
  assert.equal(await dcs.getAttribute('a[data-export]', 'href'),
    '/api/v1/ledgers/hazard/export.xlsx?light=red&sort=-updated_at');
});

test('a clerk sees the items of the unit and no create button', async () => {
  const staff = watchFailures(await newPage(browser));
  await signIn(staff, server, 'zjj_staff');
  await openList(staff, '#/items');
  assert.equal(await staff.$('.head-tools a:text-is("新建事项")'), null);
  assert.match(await staff.textContent('.pager .total'), /共 32 项/);
  await staff.goto(`${server.url}/#/items/new`);
  await staff.waitForSelector('main .empty');
  assert.match(await staff.textContent('main'), /页面不存在/);
  await staff.close();
});

test('the create form shows the API\'s 422 next to the ledger field', async () => {
  await dcs.goto(`${server.url}/#/items/new?ledger=petition`);
  await dcs.waitForSelector('input[name=received_on]');
  await dcs.fill('input[name=title]', '某小区居民反映电梯故障频发');
  await dcs.selectOption('select[name=channel]', '信息网络');
  await dcs.click('form.item-form button[type=submit]');
  const msg = dcs.locator('label:has(input[name=received_on]) .field-error');
  await msg.waitFor();
  assert.equal(await msg.textContent(), '登记日期为必填项');
  assert.equal(await dcs.evaluate(() => document.activeElement.name), 'received_on');
  assert.equal(await dcs.inputValue('input[name=title]'), '某小区居民反映电梯故障频发', 'nothing typed is lost');

  // an eco-environment problem needs its location
  await dcs.selectOption('select[name=ledger]', 'eco_problem');
  await dcs.click('form.item-form button[type=submit]');
  // (ui.js's showError places it inside the field's own box: here the fieldset)
  await dcs.waitForSelector('fieldset[name=location] .field-error');
  assert.match(await dcs.textContent('fieldset[name=location] .field-error'), /位置为必填项/);
  assert.equal(await dcs.getAttribute('fieldset[name=location]', 'aria-invalid'), 'true');
});

test('a list worth looking at', async () => {
  await openList(dcs, '#/items?status=assigned,in_progress,submitted&sort=-light');
  await dcs.evaluate(() => document.querySelectorAll('.toast').forEach((t) => t.remove()));
  await screenshot(dcs, 'items');
  assert.deepEqual(jsErrors(dcs), []);
  const expected = (f) => /^422 POST .*\/api\/v1\/items$/.test(f) || /^422 GET .*per_page=500$/.test(f);
  assert.deepEqual(dcs.failures.filter((f) => !expected(f)), []);
});
