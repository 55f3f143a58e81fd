// test_tools.mjs - the tool pages an office user works with: 风险评估 (LEC and LS
// grading with the keyboard and the mouse, the risk point list), 检索 (marked
// snippets rendered as text, one-character queries, paging) and 单位考评 (every
// number links to its items, sorting, the burden meter, the quarter picker).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, signIn, screenshot, apiFrom } from './harness.mjs';
import { watch, open } from './tools_helpers.mjs';

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

test('LEC 6 × 6 × 7 grades D = 252 较大 in orange, picked with the keyboard', async () => {
  const page = await newPage(browser);
  const w = watch(page);
  await signIn(page, server, 'zjj_staff');
  await open(page, server, '#/risk', 'fieldset.factor');
  assert.match(await page.textContent('fieldset[data-factor=l]'), /完全可以预料[\s\S]*可能，但不经常[\s\S]*实际不可能/);
  assert.match(await page.textContent('fieldset[data-factor=c]'), /严重，重伤/);
  await page.waitForSelector('.risk-wait');

  // radio rows: arrow keys move the choice within a factor
  await page.focus('#f-LEC-l-10');
  await page.keyboard.press('ArrowDown');
  await page.focus('#f-LEC-e-10');
  await page.keyboard.press('ArrowDown');
  await page.focus('#f-LEC-c-100');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  assert.equal(await page.isChecked('#f-LEC-l-6'), true);
  assert.equal(await page.isChecked('#f-LEC-c-7'), true);

  const box = await page.waitForSelector('.score-box[data-color=orange]');
  assert.equal(await page.textContent('.score-box .score'), '252');
  assert.equal(await page.textContent('.score-box .score-level'), '较大风险');
  assert.match(await page.textContent('.risk-result'), /建议管控层级：公司级/);
  assert.equal(await box.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(230, 81, 0)');
  assert.match(await page.textContent('table.bands tr.current'), /较大.*160 < D ≤ 320/);

  // one factor changed: the grade follows (3 × 6 × 7 = 126, 一般, yellow)
  await page.check('#f-LEC-l-3');
  await page.waitForSelector('.score-box[data-color=yellow]');
  assert.equal(await page.textContent('.score-box .score'), '126');
  await page.check('#f-LEC-l-6');
  await page.waitForSelector('.score-box[data-color=orange]');

  // the risk points this user may see, in their colours, linking to their items
  await page.waitForSelector('.risk-table tbody tr');
  const rows = await page.$$eval('.risk-table tbody tr', (trs) => trs.map((tr) => ({
    color: tr.querySelector('.risk-chip')?.dataset.color,
    text: tr.textContent,
    href: tr.querySelector('a')?.getAttribute('href'),
  })));
  assert.ok(rows.length >= 1);
  assert.equal(rows[0].color, 'red', 'the 重大 risk comes first');
  assert.match(rows[0].text, /重大.*燃气.*D = 1200/);
  assert.match(rows[0].href, /^#\/items\/\d+$/);
  await screenshot(page, 'risk');
  assert.deepEqual(w.problems(), []);
});

test('LS 5 × 5 is 重大 in red; the matrix picks both factors', async () => {
  const page = await newPage(browser);
  const w = watch(page);
  await signIn(page, server, 'dcs');
  await open(page, server, '#/risk', 'fieldset.factor');
  await page.click('.segmented .seg:has-text("LS 风险矩阵法")');
  await page.waitForSelector('fieldset.factor-s');
  assert.match(await page.textContent('fieldset.factor-s'), /违反法律、法规[\s\S]*死亡/);
  await page.click('label[for=f-LS-l-5]');
  await page.click('label[for=f-LS-s-5]');
  const box = await page.waitForSelector('.score-box[data-color=red]');
  assert.equal(await page.textContent('.score-box .score'), '25');
  assert.equal(await page.textContent('.score-box .score-level'), '重大风险');
  assert.equal(await box.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(198, 40, 40)');
  assert.equal(await page.getAttribute('.ls-matrix button.current', 'aria-label'), 'L=5，S=5，R=25，重大风险');

  await page.click('.ls-matrix button[aria-label^="L=3，S=4"]');
  await page.waitForSelector('.score-box[data-color=yellow]');
  assert.equal(await page.textContent('.score-box .score'), '12');
  assert.equal(await page.isChecked('#f-LS-l-3'), true);
  assert.equal(await page.isChecked('#f-LS-s-4'), true);
  assert.deepEqual(w.problems(), []);
});

test('a search for 生态修复 shows the 湟水河 project with the match marked, never raw tags', async () => {
  const page = await newPage(browser);
  const w = watch(page);
  await signIn(page, server, 'dcs');
  await open(page, server, '#/search', 'form.search-form');
  await page.fill('input[name=q]', '生态修复');
  await page.press('input[name=q]', 'Enter');
  await page.waitForSelector('.search-hit');
  assert.match(await page.evaluate(() => location.hash), /^#\/search\?q=/);
  const hits = await page.$$eval('.search-hit', (lis) => lis.map((li) => ({
    title: li.querySelector('h3').textContent,
    href: li.querySelector('h3 a').getAttribute('href'),
    ledger: li.querySelector('.ledger-tag').textContent,
    marks: [...li.querySelectorAll('.snippet mark')].map((m) => m.textContent),
    text: li.textContent,
  })));
  const project = hits.find((x) => x.title === '湟水河（城东段）生态保护修复工程');
  assert.ok(project, 'the restoration project is found');
  assert.equal(project.ledger, '重点项目');
  assert.match(project.href, /^#\/items\/\d+$/);
  assert.deepEqual(project.marks, ['生态修复']);
  const text = await page.textContent('.search-results');
  assert.ok(!text.includes('<mark>') && !text.includes('</mark>') && !text.includes('&lt;'), 'no raw markup');
  assert.ok(hits.some((x) => x.ledger === '政策库'));
  assert.match(await page.textContent('.search-count'), /找到 4 条/);
  await screenshot(page, 'search');
  assert.deepEqual(w.problems(), []);
});

test('snippet text that looks like markup stays text; one-character queries and paging work', async () => {
  const page = await newPage(browser);
  const w = watch(page);
  await signIn(page, server, 'dcs');
  const api = apiFrom(page);
  const made = await api('POST', '/items', {
    ledger: 'rectification', title: '供热管网检修', description: '更换<b>蝶阀</b> & <mark>管道</mark><img src=x onerror=alert(1)>',
  });
  assert.equal(made.status, 201);
  await open(page, server, '#/search?q=' + encodeURIComponent('蝶阀'), '.search-hit');
  const snippet = await page.$eval('.search-hit .snippet', (p) => ({
    text: p.textContent, marks: [...p.querySelectorAll('mark')].map((m) => m.textContent),
    tags: [...p.querySelectorAll('*')].map((e) => e.tagName),
  }));
  assert.deepEqual(snippet.marks, ['蝶阀']);
  assert.deepEqual(snippet.tags, ['MARK'], 'only the API\'s own <mark> becomes an element');
  assert.match(snippet.text, /<b>蝶阀<\/b> & <mark>管道<\/mark><img src=x/);

  // even a snippet that was not escaped is not parsed as HTML: only <mark> becomes an element
  await page.route('**/api/v1/search?*', (route) => route.fulfill({
    status: 200,
    contentType: 'application/json',
    body: JSON.stringify({ results: [{ id: 1, ledger: 'policy', code: 'ZC-X', title: 't',
      snippet: 'a<img src=x onerror="window.pwned=1"><mark>m</mark><b>b</b>&amp;' }], total: 1, page: 1, per_page: 20 }),
  }));
  await open(page, server, '#/search?q=' + encodeURIComponent('伪造'), '.search-hit');
  const forged = await page.$eval('.search-hit .snippet', (p) => ({
    text: p.textContent, tags: [...p.querySelectorAll('*')].map((e) => e.tagName),
  }));
  assert.deepEqual(forged.tags, ['MARK']);
  assert.equal(forged.text, 'a<img src=x onerror="window.pwned=1">m<b>b</b>&');
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  await page.unroute('**/api/v1/search?*');

  // one character
  await open(page, server, '#/search?q=' + encodeURIComponent('河'), '.search-hit');
  assert.ok(await page.$$eval('.search-hit .snippet mark', (ms) => ms.length && ms.every((m) => m.textContent === '河')));

  // more than a page of results: the pager leads to page 2
  await open(page, server, '#/search?q=' + encodeURIComponent('区'), '.search-hit');
  const total = Number(await page.textContent('.search-count b'));
  assert.ok(total > 20, `enough results to page (${total})`);
  assert.equal(await page.$$eval('.search-hit', (x) => x.length), 20);
  await page.click('nav.pager a[rel=next]');
  await page.waitForFunction(() => location.hash.includes('page=2'));
  await page.waitForSelector('ol.search-list[start="21"]');
  assert.equal(await page.$$eval('.search-hit', (x) => x.length), Math.min(20, total - 20));

  // an empty query is said, not sent
  await page.fill('input[name=q]', '  ');
  await page.click('form.search-form button');
  assert.equal(await page.textContent('.search-results .field-error'), '请输入检索内容');
  assert.deepEqual(w.problems(), []);
});

test('the scorecard: every number links to its items, columns sort, burden and hazards show', async () => {
  const page = await newPage(browser);
  const w = watch(page);
  await signIn(page, server, 'dcs');
  const api = apiFrom(page);
  const score = (await api('GET', '/dashboard/units')).json.units;
  const zjj = score.find((u) => u.name === '区住房和城乡建设局');
  await open(page, server, '#/scorecard', 'table.scorecard tbody tr');

  const row = await page.$('table.scorecard tbody tr:has(th:text-is("区住房和城乡建设局"))');
  const links = await row.$$eval('td a', (as) => as.map((a) => ({ drill: a.dataset.drill, href: a.getAttribute('href'), text: a.textContent })));
  assert.equal(links.length, 11, 'each of the eleven numbers is a link');
  for (const l of links) assert.match(l.href, /^#\/items\?/);
  const href = (drill) => links.find((l) => l.drill === drill).href;
  assert.equal(href('closed'), '#/items' + zjj.items.closed.slice(zjj.items.closed.indexOf('?')));
  assert.equal(href('reminders'), `#/items?received=remind&received_by=${zjj.unit_id}`);
  assert.equal(links.find((l) => l.drill === 'reminders').text, String(zjj.reminders));
  assert.match(links.find((l) => l.drill === 'due').text, /40\.0%/);
  // the list behind a number holds that many items
  const behind = await api('GET', '/items' + href('red').slice('#/items'.length) + '&per_page=200');
  assert.equal(behind.json.total, zjj.red);

  // sorting: 红灯, most first
  await page.click('table.scorecard th button:has-text("红灯")');
  await page.waitForSelector('table.scorecard th[aria-sort=descending]');
  const reds = await page.$$eval('table.scorecard tbody tr', (trs) => trs.map((tr) => Number(tr.querySelector('[data-drill=red]').textContent)));
  assert.deepEqual(reds, [...reds].sort((a, b) => b - a));
  assert.equal(reds[0], Math.max(...score.map((u) => u.red)));
  // and again: fewest first
  await page.click('table.scorecard th button:has-text("红灯")');
  await page.waitForSelector('table.scorecard th[aria-sort=ascending]');

  // no ranking by logins or time online anywhere on the page
  const text = await page.textContent('main');
  assert.ok(!/登录次数排名|在线时长排名|活跃度/.test(text));

  // the burden meter and the hazard statistics, with a quarter picker
  assert.ok(await page.$$eval('table.burden tbody tr', (x) => x.length) > 0);
  await page.waitForSelector('table.hazards');
  assert.match(await page.textContent('section:has(.quarter-picker) .hint'), /2026年10月1日至2026年12月31日/);
  await page.click('.quarter-picker .seg:has-text("第三季度")');
  await page.waitForFunction(() => document.querySelector('section:has(.quarter-picker) .hint')?.textContent.includes('2026年7月1日至2026年9月30日'));
  await page.click('.quarter-picker .seg:has-text("第四季度")');
  await page.waitForSelector('table.hazards tfoot');
  await page.reload();
  await page.waitForSelector('table.scorecard tbody tr');
  await screenshot(page, 'scorecard');
  assert.deepEqual(w.problems(), []);

  // a reminder given elsewhere shows up without a reload (live updates)
  const open0 = (await api('GET', `/items?lead=${zjj.unit_id}&status=in_progress&per_page=1`)).json.items[0];
  const reminded = await api('POST', `/items/${open0.id}/actions`, { action: 'remind', version: open0.version });
  assert.equal(reminded.status, 200);
  await page.waitForFunction(({ id, n }) => {
    const tr = [...document.querySelectorAll('table.scorecard tbody tr')]
      .find((r) => r.querySelector('[data-drill=reminders]')?.getAttribute('href').endsWith(`received_by=${id}`));
    return tr && tr.querySelector('[data-drill=reminders]').textContent === String(n);
  }, { id: zjj.unit_id, n: zjj.reminders + 1 });

  // an office user has no scorecard
  const staff = await newPage(browser);
  await signIn(staff, server, 'zjj_staff');
  await open(staff, server, '#/scorecard', 'section.empty');
  assert.equal(await staff.textContent('main h1'), '页面不存在');
});
