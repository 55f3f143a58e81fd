// scorecard.js - 单位考评 (#/scorecard, leaders and the supervision office):
// per lead unit, what it achieved (销号率, 按期完成率, 逾期率, lights) and what
// it received (延期, 异议, 催办, 督办), every number linking to the items behind
// it (the API's list query, opened in #/items?…), sortable by any column. Then
// the burden meter (what each unit received per month: 整治形式主义为基层减负)
// and the quarterly hazard statistics. Units are never ranked by logins or
// time online (DOMAIN 9.3): no such figure exists here.

import { api } from '../api.js';
import { renderGuard } from '../tools/alive.js';
import { h, fill, fmtRate, fmtDate, debounce } from '../ui.js';
import { zh } from '../tools/messages.js';

/* The scorecard's columns: key, heading, kind, the drill list behind it, a note. */
const COLUMNS = [
  { key: 'total', label: '事项', drill: 'total', note: '进入闭环的事项（已交办至已销号、长期坚持）' },
  { key: 'closed', label: '已销号', drill: 'closed' },
  { key: 'close_rate', label: '销号率', rate: true, drill: 'closed', note: '已销号 ÷ 事项' },
  { key: 'on_time_rate', label: '按期完成率', rate: true, drill: 'due', note: '按期销号 ÷（已销号 + 逾期未办结）' },
  { key: 'overdue_rate', label: '逾期率', rate: true, drill: 'overdue', bad: true, note: '逾期未办结 ÷（已销号 + 逾期未办结）' },
  { key: 'yellow', label: '黄灯', drill: 'yellow', light: 'yellow' },
  { key: 'red', label: '红灯', drill: 'red', light: 'red' },
  { key: 'extensions', label: '延期', drill: 'extensions', note: '批准延期次数' },
  { key: 'objections', label: '异议', drill: 'objections', note: '异议退回次数' },
  { key: 'reminders', label: '催办', drill: 'reminders', note: '收到催办次数' },
  { key: 'supervisions', label: '督办', drill: 'supervisions', note: '收到督办次数' },
];

/* "/api/v1/items?lead=4&status=closed" -> "#/items?lead=4&status=closed" */
export function itemsHref(apiQuery) {
  const i = apiQuery ? apiQuery.indexOf('?') : -1;
  return i < 0 ? '#/items' : '#/items' + apiQuery.slice(i);
}

function numCell(row, col) {
  const v = row[col.key];
  const text = col.rate ? fmtRate(v) : String(v ?? 0);
  const q = row.items?.[col.drill];
  const zero = col.rate ? v === null || v === undefined : !v;
  const cls = ['num', col.light && v ? `cell-${col.light}` : null, zero ? 'zero' : null]
    .filter(Boolean).join(' ');
  const title = `${row.name}：${col.label} ${text}${col.note ? `（${col.note}）` : ''}，查看相关事项`;
  const content = col.rate && v !== null && v !== undefined
    ? [h('span', { class: 'rate-bar', 'aria-hidden': 'true' },
      h('span', { class: col.bad ? 'bad' : null, style: `width:${Math.round(v * 100)}%` })), text]
    : text;
  return h('td', { class: cls },
    q ? h('a', { href: itemsHref(q), title, dataset: { drill: col.drill } }, content) : content);
}

function scoreTable(units, state, onSort) {
  const sorted = [...units];
  if (state.key) {
    const dir = state.desc ? -1 : 1;
    sorted.sort((a, b) => {
      if (state.key === 'name') return dir * a.name.localeCompare(b.name, 'zh-CN');
      const x = a[state.key];
      const y = b[state.key];
      if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
      if (y === null || y === undefined) return -1;
      return dir * (x - y) || a.unit_id - b.unit_id;
    });
  }
  const th = (key, label, note, num = true) => {
    const active = state.key === key;
    return h('th', {
      scope: 'col',
      class: num ? 'num' : null,
      'aria-sort': active ? (state.desc ? 'descending' : 'ascending') : 'none',
    }, h('button', { type: 'button', class: 'sort', title: note ? `${label}：${note}；点击排序` : '点击排序', onclick: () => onSort(key) },
      label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (state.desc ? '▼' : '▲') : '↕')));
  };
  return h('table', { class: 'data scorecard' },
    h('thead', {},
      h('tr', { class: 'group' },
        h('th', {}, ''),
        h('th', { colspan: 7, scope: 'colgroup' }, '办理实绩'),
        h('th', { colspan: 4, scope: 'colgroup' }, '收到的延期、异议与督促')),
      h('tr', {}, th('name', '单位', null, false), COLUMNS.map((c) => th(c.key, c.label, c.note)))),
    h('tbody', {}, sorted.map((row) => h('tr', {},
      h('th', { scope: 'row' }, row.name),
      COLUMNS.map((c) => numCell(row, c))))));
}

/* ---- burden meter --------------------------------------------------------- */

function monthRange(months) {
  if (!months.length) return [];
  const sorted = [...months].sort();
  let [y, m] = sorted[0].split('-').map(Number);
  const [ly, lm] = sorted[sorted.length - 1].split('-').map(Number);
  const out = [];
  while ((y < ly || (y === ly && m <= lm)) && out.length < 36) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) { m = 1; y++; }
  }
  return out.slice(-12);
}

function burdenTable(rows) {
  const months = monthRange([...new Set(rows.map((r) => r.month))]);
  if (!months.length) return h('p', { class: 'empty' }, '暂无催办、督办、异议、延期或报表记录。');
  const units = new Map();
  for (const r of rows) {
    if (!units.has(r.unit_id)) units.set(r.unit_id, { name: r.name, cells: new Map() });
    units.get(r.unit_id).cells.set(r.month, r);
  }
  const total = (r) => (r ? r.reminders + r.supervisions + r.objections + r.extensions + (r.data_requests || 0) : 0);
  const max = Math.max(1, ...rows.map(total));
  const cell = (name, r, month) => {
    const n = total(r);
    if (!n) return h('td', { class: 'heat heat-0' }, h('span', { class: 'visually-hidden' }, '无'));
    const parts = [['催办', r.reminders], ['督办', r.supervisions], ['异议', r.objections], ['延期', r.extensions], ['报表', r.data_requests || 0]]
      .filter(([, v]) => v);
    const level = Math.min(4, Math.ceil((n / max) * 4));
    return h('td', { class: `heat heat-${level}`, title: `${name} ${month}：${parts.map(([k, v]) => `${k} ${v}`).join('，')}` },
      h('b', {}, String(n)),
      h('small', {}, parts.map(([k, v]) => `${k[0]}${v}`).join(' ')));
  };
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'data burden' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '单位'),
        months.map((m) => h('th', { scope: 'col', class: 'num' }, `${+m.slice(0, 4)}年${+m.slice(5)}月`)),
        h('th', { scope: 'col', class: 'num' }, '合计'))),
      h('tbody', {}, [...units.values()].map((u) => h('tr', {},
        h('th', { scope: 'row' }, u.name),
        months.map((m) => cell(u.name, u.cells.get(m), m)),
        h('td', { class: 'num sum' }, String([...u.cells.values()].reduce((a, r) => a + total(r), 0))))))));
}

/* ---- quarterly hazard statistics ----------------------------------------- */

const HAZARD_COLUMNS = [
  ['found', '发现隐患'], ['major', '其中重大'], ['general', '其中一般'], ['rectified', '已整改'],
  ['rectified_on_time', '按期整改'], ['open_at_end', '季末未整改'], ['overdue', '其中逾期'],
  ['major_open', '其中重大'], ['rectification_rate', '整改率'],
];

function hazardTable(j) {
  if (!j.units.length) return h('p', { class: 'empty' }, '本季度没有隐患排查治理数据。');
  const row = (name, c, isTotal) => h('tr', { class: isTotal ? 'total' : null },
    h('th', { scope: 'row' }, name),
    HAZARD_COLUMNS.map(([k]) => h('td', {
      class: `num${(k === 'major' || k === 'major_open') && c[k] ? ' cell-red' : ''}${k === 'overdue' && c[k] ? ' cell-red' : ''}`,
    }, k === 'rectification_rate' ? fmtRate(c[k]) : String(c[k] ?? 0))));
  return h('table', { class: 'data hazards' },
    h('thead', {},
      h('tr', { class: 'group' }, h('th', {}, ''), h('th', { colspan: 3, scope: 'colgroup' }, '本季度发现'),
        h('th', { colspan: 2, scope: 'colgroup' }, '本季度整改'), h('th', { colspan: 3, scope: 'colgroup' }, '季末'),
        h('th', {}, '')),
      h('tr', {}, h('th', { scope: 'col' }, '牵头单位'), HAZARD_COLUMNS.map(([, l]) => h('th', { scope: 'col', class: 'num' }, l)))),
    h('tbody', {}, j.units.map((u) => row(u.name, u, false))),
    j.totals ? h('tfoot', {}, row('合计', j.totals, true)) : null);
}

async function renderHazards(box, year, quarter) {
  let j;
  try {
    j = await api.get('/dashboard/hazards' + api.query({ year, quarter }));
  } catch (err) {
    fill(box, h('p', { class: 'field-error', role: 'alert' }, zh(err).text));
    return;
  }
  const years = [];
  for (let y = j.year + 1; y >= j.year - 4; y--) years.push(y);
  const yearSel = h('select', { id: 'hz-year', name: 'year' },
    years.map((y) => h('option', { value: y, selected: y === j.year }, `${y}年`)));
  const quarters = h('div', { class: 'segmented small', role: 'radiogroup', 'aria-label': '季度' },
    [1, 2, 3, 4].map((q) => h('label', { class: 'seg' },
      h('input', { type: 'radio', name: 'hz-quarter', value: q, checked: q === j.quarter }),
      h('span', {}, `第${'一二三四'[q - 1]}季度`))));
  const go = () => renderHazards(box, Number(yearSel.value),
    Number(quarters.querySelector('input:checked')?.value || j.quarter));
  yearSel.addEventListener('change', go);
  quarters.addEventListener('change', go);
  fill(box,
    h('div', { class: 'section-head' },
      h('div', {},
        h('h2', {}, '隐患排查治理季度统计'),
        h('p', { class: 'hint' }, `${fmtDate(j.from)}至${fmtDate(j.to)}，按牵头单位统计；季度统计分析应于下一季度 15 日前报送。`)),
      h('div', { class: 'quarter-picker' },
        h('label', { for: 'hz-year', class: 'visually-hidden' }, '年份'), yearSel, quarters)),
    hazardTable(j));
}

export default {
  name: 'scorecard',
  path: /^#\/scorecard$/,
  title: '单位考评',
  nav: true,
  roles: ['leader', 'supervisor'],

  onLive() {
    this.live?.();
  },

  dispose() {
    this.live = null;
  },

  async render(main) {
    const alive = renderGuard(main);
    const [first, burden] = await Promise.all([
      api.get('/dashboard/units'),
      api.get('/dashboard/burden'),
    ]);
    if (!alive()) return;
    const state = { key: null, desc: false };
    const tableBox = h('div', { class: 'table-scroll' });
    const burdenBox = h('div', {}, burdenTable(burden.months || []));
    let score = first;
    const paint = () => fill(tableBox, score.units.length
      ? scoreTable(score.units, state, (key) => {
        state.desc = state.key === key ? !state.desc : key !== 'name' && key !== 'overdue_rate';
        state.key = key;
        paint();
        tableBox.querySelector('th[aria-sort="ascending"] button, th[aria-sort="descending"] button')?.focus();
      })
      : h('p', { class: 'empty' }, '暂无进入闭环的事项。'));
    paint();
    const hazardBox = h('section', { class: 'card' });
    main.append(
      h('div', { class: 'page-head' },
        h('div', {},
          h('h1', {}, '单位考评'),
          h('p', { class: 'sub' }, '按牵头单位看办理实绩和收到的督促。点击任一数字查看其背后的事项；点击列名排序。只以办理实绩考评，不统计登录次数、在线时长。'))),
      h('section', { class: 'card' }, tableBox),
      h('section', { class: 'card' },
        h('div', { class: 'section-head' },
          h('div', {},
            h('h2', {}, '基层负担监测'),
            h('p', { class: 'hint' }, '各单位每月收到的催办、督办、异议退回和批准延期次数（催＝催办，督＝督办，异＝异议，延＝延期）。颜色越深，当月收到的督促越多；用于发现层层加码、重复督办，为基层减负。'))),
        burdenBox),
      hazardBox);
    /* a change pushed by the server: the figures are read again (at most once a second) */
    this.live = debounce(async () => {
      if (!alive()) return;
      try {
        const [s2, b2] = await Promise.all([api.get('/dashboard/units'), api.get('/dashboard/burden')]);
        if (!alive()) return;
        score = s2;
        paint();
        fill(burdenBox, burdenTable(b2.months || []));
      } catch (err) {
        /* the next change tries again; the figures on screen stay */
      }
    }, 1000);
    await renderHazards(hazardBox);
  },
};
