// test_signin.mjs - the sign-in page: Chinese messages for a wrong password
// and for a locked account, and signing in lands on the user's first page.

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

test('a wrong password is said in Chinese next to the password', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + '/');
  await page.waitForSelector('form.signin-form');
  await screenshot(page, 'signin');
  await page.fill('input[name=username]', 'zjj_staff');
  await page.fill('input[name=password]', 'wrong-password');
  await page.click('form.signin-form button[type=submit]');
  const msg = await page.waitForSelector('.field-error');
  assert.equal(await msg.textContent(), '用户名或密码错误');
  assert.equal(await page.getAttribute('input[name=password]', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('input[name=username]'), 'zjj_staff', 'what was typed stays');
  assert.deepEqual(page.errors.filter((e) => !e.includes('401')), []);
});

test('five failures lock the account, and the lock is explained', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + '/#/signin');
  for (let i = 0; i < 6; i++) {
    await page.fill('input[name=username]', 'czj_staff');
    await page.fill('input[name=password]', 'wrong-' + i);
    await page.click('form.signin-form button[type=submit]');
    await page.waitForSelector('.field-error');
  }
  assert.match(await page.textContent('.field-error'), /锁定/);
});

test('signing in shows the header with the user and unit', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'zjj_staff');
  const who = await page.textContent('#top .who');
  assert.match(who, /住房和城乡建设局/);
  assert.match(who, /经办人/);
});
