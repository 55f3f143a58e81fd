// test_admin_notify.mjs - the administrator's 通知渠道 page: a bad address is
// refused in Chinese beside its field, a WeCom robot is added for a unit and
// listed with its key masked, 发送测试 reaches the robot (a receiver on
// loopback), a robot that answers a wrong-key errcode lands in 发送失败 and
// 重新发送 queues it again; editing keeps the secret; deleting removes the row.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, launch, newPage, signIn, screenshot } from './harness.mjs';

let server;
let browser;
let robot;
const received = [];

before(async () => {
  process.env.TAIZHANG_NOTIFY_AT = 'off'; // no daily digest in this test; the server inherits it
  robot = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      received.push({ url: req.url, body: JSON.parse(body) });
      const bad = req.url.includes('key=wrongkey');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(bad ? { errcode: 93000, errmsg: 'invalid webhook url' } : { errcode: 0, errmsg: 'ok' }));
    });
  });
  await new Promise((r) => robot.listen(0, '127.0.0.1', r));
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((r) => robot.close(r));
});

const robotUrl = (q) => `http://127.0.0.1:${robot.address().port}/cgi-bin/webhook/send?${q}`;

async function addChannel(page, unitName, name, url) {
  await page.selectOption('form.notify-form select[name=unit_id]', { label: unitName });
  await page.selectOption('form.notify-form select[name=kind]', 'wecom');
  await page.fill('form.notify-form input[name=name]', name);
  await page.fill('form.notify-form input[name=url]', url);
  await page.click('form.notify-form button[type=submit]');
}

test('the admin adds a robot, sends a test, sees a failure and queues it again', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'admin');
  await page.goto(server.url + '/#/admin/units');
  await page.click('nav.tabs a[href="#/admin/notify"]');
  await page.waitForSelector('form.notify-form');
  assert.match(await page.textContent('.notify-channels'), /还没有通知渠道/);

  // an address that is not http(s) is refused next to its field, in Chinese
  const unitLabel = (await page.textContent('form.notify-form select[name=unit_id] option:nth-child(3)')).trim();
  await addChannel(page, unitLabel, '工作群', 'ftp://127.0.0.1/robot');
  await page.waitForSelector('label.field .field-error');
  assert.match(await page.textContent('.field-error'), /地址须以 http:\/\/ 或 https:\/\/ 开头/);

  await page.fill('form.notify-form input[name=url]', robotUrl('key=abcd1234efgh'));
  await page.click('form.notify-form button[type=submit]');
  await page.waitForSelector('.notify-channels tr[data-channel-id]');
  const row = await page.textContent('.notify-channels tr[data-channel-id]');
  assert.match(row, /工作群/);
  assert.match(row, /企业微信群机器人/);
  assert.match(row, /key=abcd\*\*\*\*/);
  assert.doesNotMatch(row, /abcd1234efgh/);

  // 发送测试 reaches the robot
  await page.click('.notify-channels tr[data-channel-id] button:has-text("发送测试")');
  await page.waitForFunction(() => /测试消息已送达/.test(document.getElementById('toasts').textContent), null, { timeout: 20000 });
  assert.equal(received.length, 1);
  assert.equal(received[0].body.msgtype, 'markdown');
  assert.match(received[0].body.markdown.content, /通知测试/);

  // a robot with a wrong key: the test fails for good and is listed under 发送失败
  await addChannel(page, unitLabel, '错误密钥的群', robotUrl('key=wrongkey'));
  await page.waitForFunction(() => document.querySelectorAll('.notify-channels tr[data-channel-id]').length === 2);
  await page.click('.notify-channels tr:has-text("错误密钥的群") button:has-text("发送测试")');
  await page.waitForSelector('.notify-dead tr[data-message-id]', { timeout: 20000 });
  const dead = await page.textContent('.notify-dead tr[data-message-id]');
  assert.match(dead, /企业微信：Webhook 地址中的 key 无效/);
  assert.match(dead, /errcode 93000/);
  assert.match(dead, /测试/);
  assert.match(await page.textContent('.notify-dead h2'), /发送失败（1 条）/);
  await page.evaluate(() => document.querySelectorAll('#toasts > *').forEach((t) => t.remove()));
  await screenshot(page, 'admin-notify');
  await page.locator('.notify-dead').scrollIntoViewIfNeeded();
  await screenshot(page, 'admin-notify-dead');

  await page.click('.notify-dead tr[data-message-id] button:has-text("重新发送")');
  await page.waitForFunction(() => /已重新排队/.test(document.getElementById('toasts').textContent));

  // editing changes the name and leaves the address alone
  await page.click('.notify-channels tr:has-text("错误密钥的群") button:has-text("编辑")');
  await page.fill('form.notify-form input[name=name]', '住建局值班群');
  await page.click('form.notify-form button[type=submit]');
  await page.waitForSelector('.notify-channels tr:has-text("住建局值班群")');
  assert.match(await page.textContent('.notify-channels tr:has-text("住建局值班群")'), /key=wron\*\*\*\*/);

  page.once('dialog', (d) => d.accept());
  await page.click('.notify-channels tr:has-text("住建局值班群") button:has-text("删除")');
  await page.waitForFunction(() => document.querySelectorAll('.notify-channels tr[data-channel-id]').length === 1);
  assert.deepEqual(page.errors.filter((e) => !/422|Failed to load resource/.test(e)), []);
});
