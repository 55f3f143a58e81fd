// test_item_kinds.mjs - what each ledger adds to the item page: kind-specific
// fields under their Chinese labels with computed verdicts as badges, petition
// clocks, project pace, linked items, and the series of indicators and eco
// problems as charts with a form to report a period for those allowed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, screenshot } from './harness.mjs';
import { openItem, settled, jsErrors, watchFailures } from './items_helpers.mjs';

let server;
let browser;
const pages = {};

async function as(user) {
  if (!pages[user]) {
    pages[user] = watchFailures(await newPage(browser));
    await signIn(pages[user], server, user);
  }
  return pages[user];
}

/* The text of the field labelled LABEL in the item's fields. */
async function fieldText(page, label) {
  return page.$eval(`xpath=//div[contains(@class,"kv")][dt[normalize-space(text())="${label}"]]/dd`, (d) => d.textContent.trim());
}

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a risk point shows its computed level and colour as coloured badges', async () => {
  const dcs = await as('dcs');
  await openItem(dcs, server, 54);
  assert.equal(await fieldText(dcs, '风险值 D'), '240');
  const level = dcs.locator('.kv[data-key=risk_level] .badge');
  assert.equal(await level.textContent(), '较大');
  assert.match(await level.getAttribute('class'), /risk-orange/);
  assert.equal(await dcs.textContent('.kv[data-key=risk_color] .badge'), '橙色');
  assert.match(await fieldText(dcs, '管控措施'), /氨气泄漏报警装置与事故排风联锁/);
  assert.equal(await dcs.$('.item-head .progress'), null, 'a register shows no progress');
});

test('a petition shows its statutory clocks; a project its milestones and investment pace', async () => {
  const dcs = await as('dcs');
  await openItem(dcs, server, 71);
  const rows = await dcs.$$eval('table.clocks tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.deepEqual(rows[0], ['告知受理', '15日', '2026年3月25日']);
  assert.deepEqual(await dcs.$$eval('table.clocks th', (t) => t.map((x) => x.textContent)), ['时限', '规则', '到期日']);
  assert.equal(await fieldText(dcs, '信访积案'), '是');
  assert.equal(await fieldText(dcs, '登记日期'), '2026年3月10日');

  await openItem(dcs, server, 24);
  assert.equal(await fieldText(dcs, '总投资（万元）'), '48,600 万元');
  assert.match(await dcs.textContent('.pace'), /绿灯\s*年度计划投资完成93\.89%/);
  assert.match(await dcs.textContent('.kv[data-key=milestones]'), /公交换乘枢纽完工2026年10月31日已完成/);
  assert.match(await dcs.textContent('.item-head'), /原定 2026年11月25日/);
  assert.match(await dcs.textContent('.item-head'), /已延期 1 次/);
});

test('linked items are links; the viewer of a petition sees the petitioner masked', async () => {
  const stj = await as('stj_staff');
  await openItem(stj, server, 41);
  const link = stj.locator('.links a').first();
  assert.match(await link.textContent(), /XM-2026-0006/);
  await link.click();
  await stj.waitForFunction(() => location.hash === '#/items/29');
  await settled(stj);
  assert.match(await stj.textContent('.item-head h1'), /曹家沟/);

  // XF-2026-0003: 区住建局 is a co-unit, and sees the petitioner masked as the API gives it
  const zjj = await as('zjj_staff');
  await openItem(zjj, server, 69);
  assert.equal(await fieldText(zjj, '信访人'), '王**');
});

test('an indicator\'s months are a line chart against the target, with its pace light', async () => {
  const dcs = await as('dcs');
  await openItem(dcs, server, 86);
  await dcs.waitForSelector('.item-series .chart canvas');
  assert.match(await dcs.textContent('.series-head'), /年度目标 8%（增速）/);
  assert.match(await dcs.textContent('.series-head .pace'), /红灯\s*增速4\.10%，目标8\.00%，低于目标3\.90个百分点/);
  const periods = await dcs.$$eval('.series-table tbody tr td:first-child', (t) => t.map((x) => x.textContent));
  assert.deepEqual(periods, ['2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
  const option = await dcs.evaluate(() => window.echarts.getInstanceByDom(document.querySelector('.chart')).getOption());
  assert.deepEqual(option.series.map((s) => s.name), ['累计增速（%）', '目标增速（%）']);
  assert.deepEqual(option.series[1].data, Array(9).fill(8));
  assert.equal(option.series[0].data[8].itemStyle.color, '#c62828', 'the last month is red');
  // the supervisor may report a period too
  assert.ok(await dcs.$('.period-form'));
  await dcs.evaluate(() => document.querySelectorAll('.toast').forEach((t) => t.remove()));
  await screenshot(dcs, 'item-indicator');
});

test('the lead unit reports a period and the chart grows; a co-unit gets no form', async () => {
  const fgj = await as('fgj_staff');
  await openItem(fgj, server, 86);
  const form = fgj.locator('.period-form');
  assert.equal(await form.locator('input[name=period]').inputValue(), '2026-11');
  await form.locator('input[name=yoy]').fill('3.8');
  await form.locator('input[name=note]').fill('1—11月');
  await form.locator('button[type=submit]').click();
  await fgj.waitForSelector('.toast:text-is("已报送 2026-11 数据")');
  await settled(fgj);
  const last = await fgj.$$eval('.series-table tbody tr:last-child td', (t) => t.map((x) => x.textContent));
  assert.equal(last[0], '2026-11 1—11月');
  assert.equal(last[1], '3.8%');
  assert.match(last[4], /低于目标4\.20个百分点/);
  assert.match(await fgj.textContent('.timeline .ev:last-child'), /报送数据[\s\S]*2026-11/);

  // a bad period is said next to the month
  await fgj.fill('.period-form input[name=period]', '2026-01');
  await fgj.fill('.period-form input[name=yoy]', '3.1');
  await fgj.click('.period-form button[type=submit]');
  const err = fgj.locator('.period-form label:has(input[name=period]) .field-error');
  await err.waitFor();
  assert.equal(await err.textContent(), '1月数据与2月合并报送（1—2月），请选择 2 月');

  const zjj = await as('zjj_staff');
  await openItem(zjj, server, 86);
  await zjj.waitForSelector('.item-series .chart canvas');
  assert.equal(await zjj.$('.period-form'), null, 'a co-unit does not report the series');
});

test('an eco problem charts a monitored item against its class limit, with the water class by month', async () => {
  const stj = await as('stj_staff');
  await openItem(stj, server, 41);
  await stj.waitForSelector('.item-series .chart canvas');
  const items = await stj.$$eval('.seg button', (b) => b.map((x) => [x.textContent, x.getAttribute('aria-pressed')]));
  assert.deepEqual(items[0], ['氨氮', 'true'], 'the item over its limit is shown first');
  const chart = () => stj.evaluate(() => window.echarts.getInstanceByDom(document.querySelector('.chart')).getOption());
  let option = await chart();
  assert.equal(option.series[0].markLine.data[0].yAxis, 1, 'Ⅲ类 limit of 氨氮');
  assert.deepEqual(option.series[0].data.map((d) => d.value), [2.35, 1.98, 1.71, 1.42, 1.16]);
  const label = await stj.evaluate(() => window.echarts.getInstanceByDom(document.querySelector('.chart'))
    .getOption().xAxis[0].axisLabel.formatter('2026-06', 0));
  assert.equal(label, '6月\n劣Ⅴ类');
  await stj.click('.seg button:text-is("总磷")');
  option = await chart();
  assert.equal(option.series[0].markLine.data[0].yAxis, 0.2, 'Ⅲ类 limit of 总磷 in a river');
  assert.equal(await stj.getAttribute('.seg button:text-is("总磷")', 'aria-pressed'), 'true');
  assert.match(await stj.textContent('.series-head'), /目标 Ⅲ类（河流）\s*最新 Ⅳ类 未达标/);

  // reporting a period re-evaluates the section
  await stj.fill('.period-form input[name=nh3_n]', '0.92');
  await stj.fill('.period-form input[name=tp]', '0.18');
  await stj.click('.period-form button[type=submit]');
  await stj.waitForSelector('.toast:text-is("已报送 2026-11 数据")');
  await settled(stj);
  assert.match(await stj.textContent('.series-head'), /最新 Ⅲ类 达标/);
});

test('no script errors or failed requests', async () => {
  for (const p of Object.values(pages)) {
    assert.deepEqual(jsErrors(p), []);
    assert.deepEqual(p.failures.filter((f) => !/^422 PUT /.test(f)), []);
  }
});
