// test_admin.mjs - the pages of 三员分立: the administrator's 单位, 用户 and
// 工作日历 (creating a unit and a user, the password policy said in Chinese next
// to the password, disabling, a year's holidays), the auditor's log and chain
// check, and who sees which of them in the navigation.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, screenshot, apiFrom } from './harness.mjs';
import { watch, navLabels, open } from './tools_helpers.mjs';

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

test('the admin creates a unit in the tree; a taken code is refused next to the code', async () => {
  const page = await newPage(browser);
  const w = watch(page);
  await signIn(page, server, 'admin');
  assert.equal(await page.evaluate(() => location.hash), '#/admin/units');
  assert.deepEqual(await navLabels(page), ['管理']);
  await page.waitForSelector('ul.unit-tree');
  assert.match(await page.textContent('ul.unit-tree'), /城东区[\s\S]*区住房和城乡建设局[\s\S]*东关大街街道[\s\S]*南小街社区/);

  // under 东关大街街道: "添加下级" fills the parent
  await page.click('button[aria-label="在 东关大街街道 下添加单位"]');
  assert.equal(await page.$eval('select[name=parent_id]', (s) => s.selectedOptions[0].textContent.trim()), '└ 东关大街街道（DG）');
  await page.fill('input[name=name]', '金汇路社区');
  await page.fill('input[name=code]', 'ZJJ');
  await page.selectOption('select[name=kind]', 'community');
  await page.click('form.unit-form button[type=submit]');
  const err = await page.waitForSelector('form.unit-form .field-error');
  assert.equal(await err.textContent(), '单位编码“ZJJ”已被使用，请换一个');
  assert.ok(await page.$('label.field:has(input[name=code]) .field-error'), 'the message sits at the code field');
  assert.equal(await page.inputValue('input[name=name]'), '金汇路社区', 'what was typed stays');

  await page.fill('input[name=code]', 'DG-JHL');
  await page.click('form.unit-form button[type=submit]');
  await page.waitForSelector('li:has(> .unit-node .unit-name:text-is("东关大街街道")) li .unit-name:text-is("金汇路社区")');
  const api = apiFrom(page);
  const units = (await api('GET', '/units')).json.units;
  const made = units.find((u) => u.code === 'DG-JHL');
  assert.equal(made.kind, 'community');
  assert.equal(units.find((u) => u.id === made.parent_id).name, '东关大街街道');

  // edit: rename it; the unit itself and its subtree are not offered as its parent
  await page.click('button[aria-label="编辑 金汇路社区"]');
  assert.equal(await page.$eval('select[name=parent_id] option[value="' + made.id + '"]', (o) => o.disabled), true);
  await page.fill('input[name=name]', '金汇路社区居委会');
  await page.click('form.unit-form button[type=submit]');
  await page.waitForSelector('.unit-name:text-is("金汇路社区居委会")');
  assert.equal((await api('GET', `/units/${made.id}`)).json.name, '金汇路社区居委会');
  assert.deepEqual(w.problems('422 POST /api/v1/units'), []);
});

test('the admin creates a user; a weak password is refused in Chinese next to the password', async () => {
  const page = await newPage(browser);
  const w = watch(page);
  await signIn(page, server, 'admin');
  await open(page, server, '#/admin/users', 'table.users tbody tr');
  assert.ok(await page.$('tr[data-username=zjj_staff]'));
  await page.fill('input[name=username]', 'zjj_wang');
  await page.fill('input[name=display_name]', '王建国');
  await page.selectOption('select[name=unit_id]', { label: '　区住房和城乡建设局' });
  await page.check('input[name=roles][value=staff]');
  await page.fill('input[name=password]', 'abcdefgh1');
  await page.click('form.user-form button[type=submit]');
  const err = await page.waitForSelector('label.field:has(input[name=password]) .field-error');
  assert.equal(await err.textContent(), '密码须包含大写字母、小写字母、数字、其他字符中的至少 3 类');
  assert.equal(await page.getAttribute('input[name=password]', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('input[name=username]'), 'zjj_wang', 'what was typed stays');

  await page.fill('input[name=password]', 'short');
  await page.click('form.user-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('label.field:has(input[name=password]) .field-error')?.textContent === '密码至少 8 位');

  // 三员分立: ticking 安全审计员 clears the other roles
  await page.check('input[name=roles][value=auditor]');
  assert.equal(await page.isChecked('input[name=roles][value=staff]'), false);
  await page.check('input[name=roles][value=staff]');
  assert.equal(await page.isChecked('input[name=roles][value=auditor]'), false);

  await page.fill('input[name=password]', 'Wjg@2026zj');
  await page.click('form.user-form button[type=submit]');
  const row = await page.waitForSelector('tr[data-username=zjj_wang]');
  assert.match(await row.textContent(), /王建国.*区住房和城乡建设局.*经办人.*启用/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'admin-users');

  // the new account signs in and lands in its unit
  const them = await newPage(browser);
  await signIn(them, server, 'zjj_wang', 'Wjg@2026zj');
  assert.match(await them.textContent('#top .who'), /王建国（区住房和城乡建设局·经办人）/);

  // disabled from the list: it can no longer sign in
  await page.click('button[aria-label="停用 zjj_wang"]');
  await page.waitForSelector('tr[data-username=zjj_wang] .state-off');
  const api = apiFrom(page);
  const users = (await api('GET', '/users')).json.users;
  assert.equal(users.find((u) => u.username === 'zjj_wang').disabled, true);
  const again = await newPage(browser);
  await again.goto(server.url + '/#/signin');
  await again.fill('input[name=username]', 'zjj_wang');
  await again.fill('input[name=password]', 'Wjg@2026zj');
  await again.click('form.signin-form button[type=submit]');
  await again.waitForSelector('.field-error');

  // edit: another role
  await page.click('button[aria-label="编辑 zjj_wang"]');
  await page.check('input[name=roles][value=manager]');
  await page.uncheck('input[name=disabled]');
  await page.click('form.user-form button[type=submit]');
  await page.waitForFunction(() => /单位负责人/.test(document.querySelector('tr[data-username=zjj_wang]')?.textContent)
    && document.querySelector('tr[data-username=zjj_wang] .state-on'));
  assert.deepEqual(w.problems('422 POST /api/v1/users'), []);
});

test('the working calendar: 2026 marks 休 and 班; a new year is entered and saved', async () => {
  const page = await newPage(browser);
  const w = watch(page);
  await signIn(page, server, 'admin');
  await open(page, server, '#/admin/calendar?year=2026', '.months .month');
  assert.equal(await page.$$eval('.months .month', (m) => m.length), 12);
  assert.equal(await page.textContent('.day[data-date="2026-10-01"] .mark'), '休');
  assert.equal(await page.textContent('.day[data-date="2026-02-14"] .mark'), '班');
  assert.match(await page.getAttribute('.day[data-date="2026-02-17"]', 'title'), /春节/);
  assert.match(await page.textContent('.notice'), /2026 年节假日安排已录入/);
  await screenshot(page, 'admin-calendar');

  await page.selectOption('#cal-year', '2027');
  await page.waitForFunction(() => location.hash === '#/admin/calendar?year=2027');
  await page.waitForSelector('.notice.warn');
  assert.match(await page.textContent('.notice.warn'), /2027 年尚无节假日数据/);
  const holidays = 'section[data-kind=holidays]';
  await page.fill(`${holidays} .day-add input >> nth=0`, '2027-01-01');
  await page.fill(`${holidays} .day-add input >> nth=2`, '元旦');
  await page.click(`${holidays} .day-add button`);
  await page.fill(`${holidays} .day-add input >> nth=0`, '2027-02-06');
  await page.fill(`${holidays} .day-add input >> nth=1`, '2027-02-12');
  await page.fill(`${holidays} .day-add input >> nth=2`, '春节');
  await page.click(`${holidays} .day-add button`);
  assert.equal(await page.$$eval(`${holidays} tbody tr`, (r) => r.length), 8);
  assert.equal(await page.textContent('.day[data-date="2027-02-08"] .mark'), '休');
  assert.match(await page.textContent('.save-state'), /未保存/);
  // a date outside the year is refused next to the list, before anything is sent
  await page.fill('section[data-kind=workdays] .day-add input >> nth=0', '2026-12-31');
  await page.click('section[data-kind=workdays] .day-add button');
  assert.match(await page.textContent('section[data-kind=workdays] .add-error:not([hidden])'), /2027 年内的日期/);
  await page.click('form.calendar-form button[type=submit]');
  await page.waitForSelector('.notice.ok');
  const cal = (await apiFrom(page)('GET', '/calendar/2027')).json;
  assert.equal(cal.complete, true);
  assert.deepEqual(cal.holidays.map((d) => d.date).slice(0, 3), ['2027-01-01', '2027-02-06', '2027-02-07']);
  assert.equal(cal.holidays[1].name, '春节');
  assert.deepEqual(w.problems(), []);
});

test('the auditor reads the log, newest first, and the chain check says intact', async () => {
  const page = await newPage(browser);
  const w = watch(page);
  await signIn(page, server, 'auditor');
  assert.equal(await page.evaluate(() => location.hash), '#/audit');
  assert.deepEqual(await navLabels(page), ['审计']);
  await page.waitForSelector('table.audit tbody tr[data-seq]');
  const seqs = await page.$$eval('table.audit tbody tr[data-seq]', (trs) => trs.map((tr) => Number(tr.dataset.seq)));
  assert.equal(seqs.length, 50);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first');
  assert.match(await page.textContent('table.audit tbody'), /登录/);

  await page.click('button:has-text("校验审计链")');
  const ok = await page.waitForSelector('.verify[data-ok=true]');
  const text = await ok.textContent();
  assert.match(text, /审计链完整/);
  const checked = Number(/已逐条校验 (\d+) 条/.exec(text)[1]);
  assert.ok(checked >= seqs[0], `all entries were checked (${checked})`);
  assert.match(text, /SM3/);

  // an entry opens to its hashes and full detail
  await page.click(`button[aria-label="展开第 ${seqs[0]} 条详情"]`);
  assert.match(await page.textContent('tr.audit-more:not([hidden])'), /本条哈希\s*[0-9a-f]{64}/);
  await screenshot(page, 'audit');

  // older pages, and back to the first entries
  await page.click('nav.audit-pager a:has-text("较早") >> nth=0');
  await page.waitForFunction((top) => Number(document.querySelector('table.audit tbody tr[data-seq]')?.dataset.seq) === top - 50, seqs[0]);
  await page.click('nav.audit-pager a:has-text("最早") >> nth=0');
  await page.waitForFunction(() => [...document.querySelectorAll('table.audit tbody tr[data-seq]')].pop()?.dataset.seq === '1');
  assert.match(await page.textContent('table.audit'), /系统初始化/);
  assert.deepEqual(w.problems(), []);
});

test('roles: a staff user sees neither 管理 nor 审计, and their pages are not found', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'zjj_staff');
  const labels = await navLabels(page);
  assert.ok(labels.includes('风险评估') && labels.includes('检索'), labels.join(','));
  assert.ok(!labels.includes('管理') && !labels.includes('审计') && !labels.includes('单位考评'), labels.join(','));
  for (const hash of ['#/admin/users', '#/admin/units', '#/admin/calendar', '#/audit']) {
    await open(page, server, hash, 'section.empty h1');
    assert.equal(await page.textContent('main h1'), '页面不存在', hash);
  }
  const leader = await newPage(browser);
  await signIn(leader, server, 'leader');
  const l = await navLabels(leader);
  assert.ok(l.includes('单位考评') && !l.includes('管理') && !l.includes('审计'), l.join(','));
});
