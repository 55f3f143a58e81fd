// test_import.mjs - 导入 Excel on the ledger list, as the supervision office
// uses it: a file with one bad cell shows that cell's row, column and reason
// and cannot be confirmed; the fixed file previews its new items, 确认导入
// imports them, a toast says so, and the list (filtered to them) shows them.
// A unit's staff sees the button too (units import their progress); a
// leader does not. Screenshots: import-errors.png, import-preview.png, import-done.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, screenshot } from './harness.mjs';
import { watchFailures } from './items_helpers.mjs';

let server;
let browser;
let dcs;

const HEADER = '编号,事项,牵头单位,办结时限,整改类型\r\n';
const BAD = HEADER +
  ',浏览器导入：排污口整治,区住房和城乡建设局,2026-12-31,限期整改\r\n' +
  ',浏览器导入：扬尘管控,区住房和城乡建设局,明年春天,限期整改\r\n';
const GOOD = HEADER +
  ',浏览器导入：排污口整治,区住房和城乡建设局,2026-12-31,限期整改\r\n' +
  ',浏览器导入：扬尘管控,区住房和城乡建设局,2027年3月31日,立行立改\r\n';

const file = (text) => ({ name: '整改台账.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

async function openList(page, hash) {
  const done = page.waitForResponse((r) => r.url().includes('/api/v1/items?'));
  await page.goto(`${server.url}/${hash}`);
  await done;
  await page.waitForSelector('.items-list:not([aria-busy]) table, .items-list:not([aria-busy]) .empty');
}

before(async () => {
  server = await startServer();
  browser = await launch();
  dcs = watchFailures(await newPage(browser, { width: 1366, height: 900 }));
  await signIn(dcs, server, 'dcs');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a bad cell is shown by row and column; the fixed file imports and the list shows it', async () => {
  await openList(dcs, '#/items?ledger=rectification&q=' + encodeURIComponent('浏览器导入'));
  assert.ok(await dcs.locator('.items-list .empty').count(), 'the filtered list starts empty');
  const input = dcs.locator('input#import-rectification');
  await dcs.waitForSelector('label[data-import="rectification"]');

  // one bad cell: the preview names it and the import cannot be confirmed
  await input.setInputFiles(file(BAD));
  const dlg = dcs.locator('dialog.import-dialog');
  await dlg.locator('table.errors').waitFor();
  const cells = await dlg.locator('table.errors tbody tr').first().locator('td').allTextContents();
  assert.equal(cells[0], '3');
  assert.equal(cells[1], 'D 办结时限');
  assert.match(cells[2], /不是有效的日期/);
  assert.equal(await dlg.locator('table.errors tbody tr').count(), 1);
  assert.ok(await dlg.locator('button:text-is("确认导入")').isDisabled());
  assert.equal(await dlg.locator('[data-count="error_count"] b').textContent(), '1');
  await screenshot(dcs, 'import-errors');

  // the fixed file, chosen again from the dialog: two items to create, confirmed
  await dlg.locator('input#import-again-rectification').setInputFiles(file(GOOD));
  await dlg.locator('table.creates').waitFor();
  assert.equal(await dlg.locator('table.errors').count(), 0);
  assert.equal(await dlg.locator('[data-count="creates"] b').textContent(), '2');
  const titles = await dlg.locator('table.creates tbody td:nth-child(2)').allTextContents();
  assert.deepEqual(titles, ['浏览器导入：排污口整治', '浏览器导入：扬尘管控']);
  await screenshot(dcs, 'import-preview');
  // nothing was written by the previews
  assert.ok(await dcs.locator('.items-list .empty').count());
  const reloaded = dcs.waitForResponse((r) => r.url().includes('/api/v1/items?'));
  await dlg.locator('button:text-is("确认导入")').click();
  await dcs.waitForSelector('.toast:has-text("导入完成：新建 2 项")');
  await reloaded;
  await dcs.waitForSelector('.items-table tbody tr');
  assert.equal(await dcs.locator('dialog.import-dialog').count(), 0, 'the dialog closes');
  const listed = await dcs.$$eval('.items-table tbody td.title a', (as) => as.map((a) => a.textContent));
  assert.deepEqual(listed.sort(), ['浏览器导入：扬尘管控', '浏览器导入：排污口整治'].sort());
  await screenshot(dcs, 'import-done');
});

test('unit staff see the import button (their progress), a leader does not', async () => {
  for (const [who, shown] of [['zjj_staff', true], ['leader', false]]) {
    const page = watchFailures(await newPage(browser));
    try {
      await signIn(page, server, who);
      await openList(page, '#/items?ledger=rectification');
      // the export link comes with the same check of the API: once it is there, so is import
      await page.waitForSelector('.page-head .head-tools a[data-export]');
      assert.equal(await page.locator('label[data-import]').count(), shown ? 1 : 0, who);
    } finally {
      await page.context().close();
    }
  }
});
