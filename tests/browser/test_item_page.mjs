// test_item_page.mjs - the item page offers exactly what the user may do and
// loses nothing they type: buttons absent for roles that may not act, another
// unit's item is the not-found page, a 422 is said next to its field, a 409
// version conflict reloads the item and keeps the typed comment, a change
// pushed while typing only raises a notice, and refused uploads (type, content,
// size) are explained in Chinese.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, apiFrom } from './harness.mjs';
import { openItem, actionButtons, settled, dropFile, jsErrors } from './items_helpers.mjs';

let server;
let browser;
const pages = {};

async function as(user) {
  if (!pages[user]) {
    pages[user] = await newPage(browser);
    await signIn(pages[user], server, user);
  }
  return pages[user];
}

/* An action by `user` through the API, as if taken in another office. */
async function elsewhere(user, id, body) {
  const p = await as(user);
  const api = apiFrom(p);
  const item = (await api('GET', `/items/${id}`)).json;
  const r = await api('POST', `/items/${id}/actions`, { ...body, version: item.version });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
}

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('buttons are absent for roles that may not act', async () => {
  // ZG-2026-0015: submitted, lead 区住建局
  const dcs = await as('dcs');
  await openItem(dcs, server, 15);
  assert.deepEqual(await actionButtons(dcs), ['验收销号', '转为长期坚持', '退回整改', '催办', '督办']);

  const staff = await as('zjj_staff');
  await openItem(staff, server, 15);
  assert.deepEqual(await actionButtons(staff), [], 'the lead unit\'s clerk does not verify');
  assert.match(await staff.textContent('.item-actions'), /没有可进行的操作/);

  const leader = await as('leader');
  await openItem(leader, server, 15);
  assert.deepEqual(await actionButtons(leader), ['批示']);

  // ST-2026-0007: submitted, 区住建局 only a co-unit — no loop actions, but evidence may be added
  await openItem(staff, server, 47);
  assert.deepEqual(await actionButtons(staff), []);
  assert.ok(await staff.$('.dropzone'), 'a co-unit uploads evidence while the item is open');

  // XM-2026-0008: in progress, 东关大街街道 a co-unit; the street's viewer only reads
  const viewer = await as('dg_viewer');
  await openItem(viewer, server, 31);
  const buttons = await actionButtons(viewer);
  for (const b of ['交办', '验收销号', '报送进展', '催办']) assert.ok(!buttons.includes(b), `viewer sees ${b}`);
  assert.equal(await viewer.$('.dropzone'), null, 'a viewer has no drop zone');
  assert.match(await viewer.textContent('.item-head h1'), /东关大街片区雨污分流改造工程/);
});

test('another unit\'s item opened by URL is the not-found page, not its data', async () => {
  const stj = await as('stj_staff');
  const seen = [];
  stj.on('response', (r) => { if (/\/api\/v1\/items\/15/.test(r.url())) seen.push(r.status()); });
  await openItem(stj, server, 15);
  assert.ok(await stj.$('[data-not-found]'));
  assert.match(await stj.textContent('main'), /未找到该事项/);
  assert.doesNotMatch(await stj.textContent('body'), /老旧小区改造工程质量问题/);
  assert.deepEqual(seen, [404]);
  assert.deepEqual(await actionButtons(stj), []);
});

test('a 422 is shown next to its field in the action form', async () => {
  const staff = await as('zjj_staff');
  await openItem(staff, server, 24);
  await staff.click('.action-buttons button:text-is("报送进展")');
  await staff.fill('.action-form input[name=progress]', '70');
  await staff.click('.action-form button[type=submit]');
  const msg = staff.locator('.action-form label:has(textarea[name=comment]) .field-error');
  await msg.waitFor();
  assert.equal(await msg.textContent(), '请填写进展情况');
  assert.equal(await staff.getAttribute('.action-form textarea[name=comment]', 'aria-invalid'), 'true');
  assert.equal(await staff.inputValue('.action-form input[name=progress]'), '70', 'the progress typed stays');

  // a deadline the API refuses: XM-2026-0002 is past its deadline
  const mgr = await as('zjj_mgr');
  await openItem(mgr, server, 25);
  await mgr.click('.action-buttons button:text-is("申请延期")');
  await mgr.fill('.action-form input[name=deadline]', '2027-03-31');
  await mgr.fill('.action-form textarea[name=comment]', '征收户协商未果，申请延期。');
  await mgr.click('.action-form button[type=submit]');
  const dmsg = mgr.locator('.action-form label:has(input[name=deadline]) .field-error');
  await dmsg.waitFor();
  assert.equal(await dmsg.textContent(), '已超过办结时限，不能再申请延期');
});

test('a version conflict reloads the item and keeps the typed comment', async () => {
  const staff = await as('zjj_staff');
  await openItem(staff, server, 59);
  await staff.click('.action-buttons button:text-is("报送进展")');
  const typed = '燃气立管更换完成第一批12户，第二批材料已进场。';
  await staff.fill('.action-form textarea[name=comment]', typed);
  await staff.fill('.action-form input[name=progress]', '75');

  await elsewhere('dcs', 59, { action: 'remind', comment: '请加快进度' });

  await staff.click('.action-form button[type=submit]');
  const err = staff.locator('.action-form .field-error');
  await err.waitFor();
  assert.match(await err.textContent(), /刚被他人修改.*已为您载入最新内容.*已保留/);
  await settled(staff);
  assert.equal(await staff.inputValue('.action-form textarea[name=comment]'), typed);
  assert.equal(await staff.inputValue('.action-form input[name=progress]'), '75');
  assert.match(await staff.textContent('.timeline'), /催办[\s\S]*请加快进度/, 'the item was reloaded');

  await staff.click('.action-form button[type=submit]');
  await staff.waitForSelector('.toast:text-is("已报送进展")');
  await settled(staff);
  assert.match(await staff.textContent('.timeline .ev:last-child'), new RegExp(typed));
  assert.match(await staff.textContent('.item-head .progress-num'), /75%/);
});

test('a change made elsewhere arrives live: the item reloads, or a notice waits while a form is typed in', async () => {
  const staff = await as('zjj_staff');
  await openItem(staff, server, 31);

  // nothing typed: the change shows by itself (GET /api/v1/stream)
  await elsewhere('dcs', 31, { action: 'remind', comment: '第一次催办' });
  await staff.waitForSelector('.timeline .ev-comment:text-is("第一次催办")');
  await settled(staff);
  assert.ok(await staff.isHidden('.notice-live'));

  // a form typed into: a notice with a reload button, and the text stays through the reload
  await staff.click('.action-buttons button:text-is("报送进展")');
  await staff.fill('.action-form textarea[name=comment]', '管网CCTV检测完成80%');
  await elsewhere('dcs', 31, { action: 'supervise', comment: '列为督办事项' });
  await staff.waitForSelector('.notice-live:visible');
  assert.match(await staff.textContent('.notice-live'), /该事项已更新/);
  assert.equal(await staff.$('.timeline .ev-comment:text-is("列为督办事项")'), null, 'not reloaded under the typing');
  await staff.click('.notice-live button:text-is("重新载入")');
  await staff.waitForSelector('.timeline .ev-comment:text-is("列为督办事项")');
  await settled(staff);
  assert.ok(await staff.isHidden('.notice-live'));
  assert.equal(await staff.inputValue('.action-form textarea[name=comment]'), '管网CCTV检测完成80%');
  assert.match(await staff.textContent('.item-head'), /督查室督办/);

  // a change of another item is not this page's business
  await elsewhere('dcs', 24, { action: 'remind', comment: '另一事项' });
  await staff.evaluate(async () => (await import('/js/pages/item.js')).default.onLive({ id: 24, version: 99 }));
  assert.ok(await staff.isHidden('.notice-live'));
});

test('refused uploads are explained in Chinese and nothing is stored', async () => {
  const staff = await as('zjj_staff');
  await openItem(staff, server, 24);
  const before = await staff.$$eval('.attachments li', (l) => l.length).catch(() => 0);

  await dropFile(staff, '会议纪要.txt', 'text/plain', '不是佐证材料');
  await staff.waitForSelector('.uploads .up-error');
  assert.match(await staff.textContent('.uploads .up-error'), /“会议纪要\.txt”的类型不支持，未上传。只能上传 PNG、JPEG 图片/);

  await staff.setInputFiles('.dropzone input[type=file]', { name: '现场.png', mimeType: 'image/png', buffer: Buffer.from('not a png at all') });
  await staff.waitForSelector('.uploads .up-error:has-text("现场.png")');
  assert.match(await staff.textContent('.uploads .up-error:has-text("现场.png")'), /内容与其文件类型不符，未保存/);

  await staff.evaluate(() => {
    const bytes = new Uint8Array(21 * 1024 * 1024);
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], '航拍原图.png', { type: 'image/png' }));
    document.querySelector('.dropzone').dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  });
  const big = staff.locator('.uploads .up-error:has-text("航拍原图.png")');
  await big.waitFor({ timeout: 20000 });
  assert.match(await big.textContent(), /超过系统允许的大小上限，未保存/);

  await settled(staff);
  const after = await staff.$$eval('.attachments li', (l) => l.length).catch(() => 0);
  assert.equal(after, before, 'no attachment was added');
  assert.ok(await staff.isHidden('.ledger-drop-overlay'));
});

test('no script errors on any page', async () => {
  for (const p of Object.values(pages)) assert.deepEqual(jsErrors(p), []);
});

