// harness.mjs - what the browser tests share: a real taizhang server on loopback
// with the Chengdong demo loaded (business date fixed to 2026-11-30), Debian's
// Chromium driven headless by playwright-core, signing in through the UI, and
// screenshots.
//
// Environment: TZ_BIN (the binary; default build-test/taizhang or build/taizhang),
// CHROMIUM (default /usr/bin/chromium), TZ_SCREENSHOT_DIR (where screenshots go;
// default build-test/screenshots; scripts/screenshots.sh copies them into
// docs/screenshots). Only 127.0.0.1 is used.

import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
const require = createRequire(path.join(ROOT, 'web', 'package.json'));
const { chromium } = require('playwright-core');

export const TODAY = '2026-11-30';
export const DEMO_PASSWORD = 'Demo@2026';

function tzBin() {
  if (process.env.TZ_BIN) return process.env.TZ_BIN;
  for (const p of ['build-test/taizhang', 'build/taizhang']) {
    const f = path.join(ROOT, p);
    if (fs.existsSync(f)) return f;
  }
  throw new Error('TZ_BIN is not set and no build was found');
}

/*
 * Starts a server on a free loopback port with a fresh copy of the demo.
 * Returns {url, stop(), dir}.
 */
export async function startServer({ today = TODAY } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tzui-'));
  const db = path.join(dir, 'demo.db');
  const env = { ...process.env, TAIZHANG_TODAY: today, TAIZHANG_LOG: 'warn' };
  const demo = spawnSync(tzBin(), ['demo', '--db', db], { env, encoding: 'utf8', timeout: 120000 });
  if (demo.status !== 0) throw new Error('taizhang demo failed: ' + demo.stderr);
  const proc = spawn(tzBin(), ['serve', '--db', db, '--listen', '127.0.0.1:0'], { env });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start: ' + stderr)), 30000);
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s/]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  return {
    url,
    dir,
    stderr: () => stderr,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => { proc.once('exit', r); setTimeout(r, 10000); });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/* A headless Chromium; close it when done. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--lang=zh-CN'],
    headless: true,
  });
}

/*
 * A new page in its own context (its own cookies), sized like an office screen,
 * with every uncaught page error and console error collected in page.errors.
 */
export async function newPage(browser, { width = 1366, height = 768 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.setDefaultTimeout(10000);
  return page;
}

/* Signs in through the sign-in form and waits for the first page after it. */
export async function signIn(page, server, username, password = DEMO_PASSWORD) {
  await page.goto(server.url + '/#/signin');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('form.signin-form button[type=submit]');
  await page.waitForFunction(() => location.hash && location.hash !== '#/signin');
  await page.waitForSelector('#top:not([hidden])', { timeout: 10000 }).catch(() => {});
}

/* Saves a full-page screenshot as NAME.png in TZ_SCREENSHOT_DIR. */
export async function screenshot(page, name) {
  const dir = process.env.TZ_SCREENSHOT_DIR || path.join(ROOT, 'build-test', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, name + '.png'), fullPage: false });
}

/* Calls the API as the page's signed-in user (cookie and CSRF of that tab). */
export function apiFrom(page) {
  return async (method, p, body) => page.evaluate(async ({ method, p, body }) => {
    const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': sessionStorage.getItem('taizhang.csrf') || '' };
    const r = await fetch('/api/v1' + p, { method, headers, body: body ? JSON.stringify(body) : undefined });
    return { status: r.status, json: await r.json().catch(() => null) };
  }, { method, p, body });
}
