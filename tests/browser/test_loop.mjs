// test_loop.mjs - the whole closed loop through the UI by three people in
// their own browsers: the supervision office (dcs) registers an item with the
// create form and assigns it to 区住建局 with a deadline; the bureau's clerk
// (zjj_staff) signs for it, reports 60% and drops a photo on the page; the
// bureau's manager (zjj_mgr) reports completion and asks for close-out; dcs
// verifies it. The item ends 已销号 and its timeline lists every step.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, screenshot } from './harness.mjs';
import {
  openItem, actionButtons, act, statusText, dropDrawnPng, jsErrors, watchFailures,
} from './items_helpers.mjs';

let server;
let browser;
let dcs;
let staff;
let mgr;
let itemId;

before(async () => {
  server = await startServer();
  browser = await launch();
  [dcs, staff, mgr] = await Promise.all([newPage(browser), newPage(browser), newPage(browser)]);
  await Promise.all([signIn(dcs, server, 'dcs'), signIn(staff, server, 'zjj_staff'), signIn(mgr, server, 'zjj_mgr')]);
  for (const p of [dcs, staff, mgr]) watchFailures(p);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the supervisor registers an item through the create form', async () => {
  await dcs.goto(`${server.url}/#/items`);
  await dcs.click('a.button:text-is("新建事项")');
  await dcs.waitForSelector('form.item-form');
  await dcs.selectOption('select[name=ledger]', 'rectification');
  await dcs.waitForSelector('h2:text-is("督察巡视反馈问题整改信息")');
  await dcs.fill('input[name=title]', '东关大街某小区外墙瓷砖脱落隐患整改不到位');
  await dcs.fill('textarea[name=description]', '群众反映小区3号楼外墙瓷砖多处脱落，存在高空坠物隐患，物业未及时处置。');
  await dcs.fill('input[name=source]', '市委第二巡察组反馈意见第3项');
  await dcs.fill('input[name=leader]', '张副区长');
  await dcs.selectOption('select[name=source_type]', '市委（专项）巡察反馈问题');
  await dcs.selectOption('select[name=rect_type]', '限期整改');
  await dcs.fill('textarea[name=measures]', '设置安全警示区域\n逐栋排查外墙空鼓\n完成脱落部位修复');
  await dcs.evaluate(() => window.scrollTo(0, 0));
  await dcs.setViewportSize({ width: 1366, height: 1000 });
  await screenshot(dcs, 'item-new');
  await dcs.setViewportSize({ width: 1366, height: 768 });
  await dcs.click('form.item-form button[type=submit]');
  await dcs.waitForFunction(() => /^#\/items\/\d+$/.test(location.hash));
  itemId = Number(/\d+$/.exec(await dcs.evaluate(() => location.hash))[0]);
  await dcs.waitForSelector('.item-timeline .timeline');
  assert.equal(await statusText(dcs), '立项登记');
  assert.match(await dcs.textContent('.item-info'), /设置安全警示区域/);
  assert.deepEqual(await actionButtons(dcs), ['交办', '撤销']);
});

test('the supervisor assigns it to 区住建局 with a deadline', async () => {
  await act(dcs, '交办', async (form) => {
    await form.locator('select[name=lead_unit_id]').selectOption({ label: '区住房和城乡建设局' });
    await form.locator('input[name=deadline]').fill('2026-12-31');
    await form.locator('textarea[name=comment]').fill('请于年底前整改到位。');
  });
  assert.equal(await statusText(dcs), '已交办');
  const facts = await dcs.textContent('.item-head .facts');
  assert.match(facts, /牵头单位区住房和城乡建设局/);
  assert.match(facts, /办结时限2026年12月31日/);
  assert.ok(!(await actionButtons(dcs)).includes('交办'), 'assign is no longer offered');
});

test('the bureau clerk signs for it, reports 60% and drops a photo on the page', async () => {
  await openItem(staff, server, itemId);
  assert.deepEqual(await actionButtons(staff), ['签收', '异议退回']);
  await act(staff, '签收');
  assert.equal(await statusText(staff), '办理中');
  const buttons = await actionButtons(staff);
  assert.ok(buttons.includes('报送进展'));
  assert.ok(!buttons.includes('验收销号') && !buttons.includes('申请销号'), `staff sees ${buttons}`);

  await act(staff, '报送进展', async (form) => {
    await form.locator('input[name=progress]').fill('60');
    await form.locator('textarea[name=comment]').fill('已设置警示区域，完成3号楼外墙排查，修复工作进行中。');
  });
  assert.match(await staff.textContent('.item-head .progress-num'), /60%/);

  await dropDrawnPng(staff, '外墙修复现场照片.png', '3号楼外墙修复现场 · 2026年11月30日');
  await staff.waitForSelector('.uploads .up-ok');
  const img = staff.locator('.thumbs img[alt="外墙修复现场照片.png"]');
  await img.waitFor();
  await staff.waitForFunction((alt) => {
    const i = document.querySelector(`.thumbs img[alt="${alt}"]`);
    return i && i.complete && i.naturalWidth === 800;
  }, '外墙修复现场照片.png');
  await staff.click('.thumbs button.thumb');
  await staff.waitForSelector('dialog.ledger-lightbox[open] img');
  await staff.keyboard.press('Escape');
  await staff.waitForSelector('dialog.ledger-lightbox', { state: 'detached' });
  assert.match(await staff.textContent('.item-timeline'), /上传佐证[\s\S]*外墙修复现场照片\.png/);

  // the ordinary file input works too; a PDF is listed to open in a new tab
  await staff.setInputFiles('.dropzone input[type=file]', {
    name: '外墙排查记录.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% 外墙排查记录\n%%EOF\n'),
  });
  const pdf = staff.locator('.files a:text-is("外墙排查记录.pdf")');
  await pdf.waitFor();
  assert.equal(await pdf.getAttribute('target'), '_blank');
  assert.match(await pdf.getAttribute('href'), /^\/api\/v1\/attachments\/\d+\?inline=1$/);
  const res = await staff.request.get(server.url + await pdf.getAttribute('href'));
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-disposition'], /^inline;/);
  assert.equal(res.headers()['content-type'], 'application/pdf');
});

test('the bureau manager completes it and asks for close-out', async () => {
  await openItem(mgr, server, itemId);
  const buttons = await actionButtons(mgr);
  assert.deepEqual(buttons, ['报送进展', '申请销号', '申请延期']);
  await mgr.click('.action-buttons button:text-is("申请销号")');
  assert.match(await mgr.textContent('.action-form .checklist'), /进度 60%（须达到 100%）[\s\S]*佐证材料 2 份/);
  await act(mgr, '报送进展', async (form) => {
    await form.locator('input[name=progress]').fill('100');
    await form.locator('textarea[name=comment]').fill('脱落部位全部修复，经业主代表现场确认。');
  });
  await act(mgr, '申请销号', async (form) => {
    await form.locator('textarea[name=comment]').fill('整改完成，申请销号。');
  });
  assert.equal(await statusText(mgr), '申请销号');
  assert.deepEqual(await actionButtons(mgr), []);
});

test('the supervisor verifies it: 已销号, and the timeline lists every step', async () => {
  await openItem(dcs, server, itemId);
  await act(dcs, '验收销号', async (form) => {
    await form.locator('textarea[name=comment]').fill('经现场核查，整改到位，同意销号。');
  });
  assert.equal(await statusText(dcs), '已销号');
  assert.equal(await dcs.$('.item-head .light'), null, 'no light badge repeating 已销号');
  assert.match(await dcs.textContent('.item-head .facts'), /销号于2026年11月30日按期/);
  const steps = await dcs.$$eval('.timeline .ev-action', (els) => els.map((e) => e.textContent));
  // the assign form first saved the lead unit and deadline on the draft (修改), then assigned
  assert.deepEqual(steps, ['立项', '修改', '交办', '签收', '报送进展', '上传佐证', '上传佐证', '报送进展', '申请销号', '验收销号']);
  const who = await dcs.$$eval('.timeline .ev-who', (els) => els.map((e) => e.textContent));
  assert.match(who[3], /祁玉梅（区住房和城乡建设局）/);
  assert.match(who[8], /马海军（区住房和城乡建设局）/);
  const edit = await dcs.textContent('.timeline .ev[data-action=edit]');
  assert.match(edit, /牵头单位：未定 → 区住房和城乡建设局/);
  assert.match(edit, /办结时限：未定 → 2026年12月31日/);
  assert.match(await dcs.textContent('.timeline'), /经现场核查，整改到位，同意销号。/);
  assert.deepEqual(await actionButtons(dcs), ['重新办理']);
  await dcs.waitForFunction(() => [...document.querySelectorAll('.thumbs img')].every((i) => i.complete));
  await dcs.evaluate(() => document.querySelectorAll('.toast').forEach((t) => t.remove()));
  await dcs.setViewportSize({ width: 1366, height: 1400 });
  await screenshot(dcs, 'item');
  await dcs.setViewportSize({ width: 1366, height: 768 });
  for (const p of [dcs, staff, mgr]) {
    assert.deepEqual(jsErrors(p), []);
    assert.deepEqual(p.failures, []);
  }
});
