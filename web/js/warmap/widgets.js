// warmap/widgets.js - the blocks of the war map, built from the dashboard's
// answer: the counters, the grid of lead units × ledgers, what falls due, the
// red list and the per-unit scorecard. Each number is a link to the items
// behind it. The 大屏 uses the same blocks with its own styles (screen.css).

import { h, fmtDate, fmtRate, LEDGER_NAMES, LIGHT_NAMES } from '../ui.js';
import {
  COUNTER_LINKS, OPEN, LEDGER_ORDER, LEDGER_SHORT, WAITING, closeRate, daysBetween, hashOfApiList,
  itemsHash, worstLight,
} from './model.js';

const COUNTERS = [
  ['open', '在办事项', '已交办、办理中、申请销号、长期坚持'],
  ['red', '红灯', '已逾期或严重滞后'],
  ['yellow', '黄灯', '临近期限或进度滞后'],
  ['green', '绿灯', '按计划推进'],
  ['closed', '已销号', '验收销号'],
];

/* The counters and the two rates. Each count links to its items; data-count names it (tests). */
export function counters(dash, { rates = true } = {}) {
  const t = dash.totals;
  const cards = COUNTERS.map(([key, label, hint]) => h('a', {
    class: `counter counter-${key}`, href: itemsHash(COUNTER_LINKS[key]), 'data-count': key,
    title: `${label}：${t[key]} 项（${hint}），点击查看`,
  },
  h('span', { class: 'label' }, key === 'open' ? null : h('span', { class: `dot dot-${key}` }), label),
  h('span', { class: 'num' }, String(t[key])), h('span', { class: 'unit' }, '项')));
  if (rates) {
    cards.push(rateCard('close-rate', '销号率', closeRate(t), '已销号 ÷（在办 + 已销号）'));
    cards.push(rateCard('on-time-rate', '按期完成率', t.on_time_rate,
      '按期销号 ÷（已销号 + 逾期未销号）'));
  }
  return h('div', { class: 'counters', role: 'group', 'aria-label': '总体情况' }, cards);
}

function rateCard(key, label, r, hint) {
  return h('div', { class: `counter counter-rate counter-${key}`, 'data-count': key, title: hint },
    h('span', { class: 'label' }, label),
    h('span', { class: 'num' }, fmtRate(r)),
    h('span', { class: 'hint' }, hint));
}

/*
 * The grid: one row per lead unit, one column per ledger that has anything,
 * each cell coloured by its worst light and linked to its open items.
 * opts.limit keeps only the units with most red, then yellow, then open.
 */
export function grid(dash, units, { limit = 0 } = {}) {
  const cells = new Map();
  const ledgers = new Set();
  for (const c of dash.grid || []) {
    cells.set(`${c.unit_id}|${c.ledger}`, c);
    ledgers.add(c.ledger);
  }
  const cols = LEDGER_ORDER.filter((l) => ledgers.has(l));
  let rows = (dash.by_unit || []).filter((u) => u.open + u.closed > 0);
  if (limit && rows.length > limit) {
    rows = [...rows].sort((a, b) => b.red - a.red || b.yellow - a.yellow || b.open - a.open)
      .slice(0, limit);
  }
  if (!rows.length) return h('p', { class: 'empty-note' }, '暂无在办或已销号事项。');
  const name = (id, fallback) => units.get(id)?.name || fallback || `单位 ${id}`;
  const head = h('tr', {}, h('th', { scope: 'col', class: 'unit-col' }, '牵头单位'),
    cols.map((l) => h('th', { scope: 'col', title: LEDGER_NAMES[l] }, LEDGER_SHORT[l])),
    h('th', { scope: 'col', class: 'sum-col' }, '合计'));
  const body = rows.map((u) => {
    const uname = name(u.unit_id, u.name);
    return h('tr', {},
      h('th', { scope: 'row', class: 'unit-col', title: uname }, uname),
      cols.map((l) => cell(cells.get(`${u.unit_id}|${l}`), uname, l, u.unit_id)),
      cell({ open: u.open, red: u.red, yellow: u.yellow, green: u.open - u.red - u.yellow, closed: u.closed },
        uname, null, u.unit_id, 'sum-col'));
  });
  return h('table', { class: 'grid', 'aria-label': '作战图：牵头单位 × 台账' },
    h('thead', {}, head), h('tbody', {}, body));
}

function cell(c, uname, ledger, unitId, extra) {
  if (!c || c.open + c.closed === 0) return h('td', { class: `cell cell-none ${extra || ''}` }, '');
  const light = worstLight(c);
  const what = ledger ? `${uname} · ${LEDGER_NAMES[ledger]}` : `${uname} · 合计`;
  const label = `${what}：在办 ${c.open} 项（红灯 ${c.red}、黄灯 ${c.yellow}、绿灯 ${c.green}），已销号 ${c.closed} 项`;
  const params = { lead: unitId, ledger, status: c.open ? OPEN : 'closed' };
  return h('td', { class: `cell cell-${light} ${extra || ''}` },
    h('a', { href: itemsHash(params), title: label, 'aria-label': label },
      h('span', { class: 'n' }, c.open ? String(c.open) : '✓'),
      c.red ? h('span', { class: 'badge badge-red' }, `红${c.red}`)
        : c.yellow ? h('span', { class: 'badge badge-yellow' }, `黄${c.yellow}`) : null));
}

/* What falls due in the next 5, 10 and 30 working days. */
export function due(dash) {
  return h('ul', { class: 'due' }, (dash.due || []).map((w) => h('li', {},
    h('a', {
      href: itemsHash({ status: WAITING, due_after: w.from, due_before: w.before, sort: 'deadline' }),
      title: `截止日期在 ${fmtDate(w.from)} 至 ${fmtDate(w.before)} 之间、待牵头单位办理的事项`,
      'data-due': w.working_days,
    },
    h('span', { class: 'label' }, `${w.working_days} 个工作日内`),
    h('span', { class: 'num' }, String(w.count)),
    h('span', { class: 'until' }, `至 ${fmtDate(w.before).replace(/^\d+年/, '')}`)))));
}

/* The red list: red items, most overdue first, each linked to the item. */
export function redList(red, units, today, { showAll = true } = {}) {
  if (!red.items.length) return h('p', { class: 'empty-note ok' }, '没有红灯事项。');
  const rows = red.items.map((it) => {
    const late = it.deadline ? daysBetween(it.deadline, today) : null;
    const lateText = it.status === 'ongoing' ? '未按期报告'
      : late > 0 ? `逾期 ${late} 天` : '严重滞后';
    return h('li', {},
      h('a', { href: `#/items/${it.id}`, title: `${it.code} ${it.title}` },
        h('span', { class: 'late' }, lateText),
        h('span', { class: 'title' }, it.title),
        h('span', { class: 'meta' }, `${it.code} · ${units.get(it.lead_unit_id)?.name || '未定牵头单位'}`)));
  });
  return h('div', { class: 'red-list' },
    h('ol', {}, rows),
    showAll && red.total > red.items.length
      ? h('a', { class: 'more', href: itemsHash({ light: 'red', status: OPEN, sort: 'deadline' }) },
        `查看全部 ${red.total} 项红灯事项`) : null);
}

const SCORE_COLS = [
  ['total', '事项', 'num', 'total'],
  ['closed', '已销号', 'num', 'closed'],
  ['close_rate', '销号率', 'rate'],
  ['on_time_rate', '按期完成率', 'rate'],
  ['overdue', '逾期', 'num', 'overdue'],
  ['yellow', '黄灯', 'num', 'yellow'],
  ['red', '红灯', 'num', 'red'],
  ['extensions', '延期', 'num'],
];

/*
 * The per-unit scorecard (GET /dashboard/units): by substantive results only,
 * never by logins or time online. sort = {key, desc}; onSort(key) re-sorts.
 */
export function scorecard(sc, units, sort, onSort) {
  const rows = (sc.units || []).filter((u) => u.total > 0);
  if (!rows.length) return h('p', { class: 'empty-note' }, '暂无考评数据：考评按牵头单位统计，本范围内没有作为牵头单位的事项。');
  const val = (u, k) => (u[k] === null || u[k] === undefined ? -1 : u[k]);
  rows.sort((a, b) => (sort.desc ? val(b, sort.key) - val(a, sort.key) : val(a, sort.key) - val(b, sort.key))
    || a.unit_id - b.unit_id);
  const th = ([key, label]) => {
    const active = sort.key === key;
    return h('th', {
      scope: 'col', class: 'num', 'aria-sort': active ? (sort.desc ? 'descending' : 'ascending') : null,
    }, h('button', { type: 'button', class: 'sort', onclick: () => onSort(key) },
      label, active ? (sort.desc ? ' ↓' : ' ↑') : ''));
  };
  return h('table', { class: 'data scorecard' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '牵头单位'), SCORE_COLS.map(th))),
    h('tbody', {}, rows.map((u) => h('tr', {},
      h('th', { scope: 'row' }, units.get(u.unit_id)?.name || u.name),
      SCORE_COLS.map(([key, , kind, drill]) => h('td', { class: `num ${kind === 'rate' ? rateClass(u[key]) : ''}` },
        kind === 'rate' ? fmtRate(u[key])
          : drill && u.items?.[drill] && u[key] > 0
            ? h('a', { href: hashOfApiList(u.items[drill]), class: key === 'red' || key === 'overdue' ? 'text-red' : null }, String(u[key]))
            : String(u[key])))))));
}

function rateClass(r) {
  if (r === null || r === undefined) return '';
  return r >= 0.9 ? 'rate-good' : r >= 0.6 ? 'rate-mid' : 'rate-bad';
}

/* A light's colour, for charts (the CSS tokens of app.css). */
export const LIGHT_COLORS = { red: '#d32f2f', yellow: '#f2b705', green: '#2e7d32', done: '#1e6fd0', none: '#8a94a3' };
export { LIGHT_NAMES };
