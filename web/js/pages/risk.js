// risk.js - 风险评估 (#/risk): grades a risk with the LEC or the LS method.
// The user picks one row per factor (radio rows, usable with the arrow keys);
// the server grades it (POST /risk/assess) and the page shows the score, the
// level in its colour (重大 红 / 较大 橙 / 一般 黄 / 低 蓝) and the suggested
// control level. Below, the district's risk points (GET /items?ledger=risk_point)
// in their colours, each linking to its item.

import { api } from '../api.js';
import { h, fill, lightBadge, debounce, toast } from '../ui.js';
import { zh } from '../tools/messages.js';
import { loadUnits } from '../tools/units.js';
import { pager } from '../tools/pager.js';
import {
  LEC, LEC_BANDS, LS, LS_BANDS, lsColor, RISK_COLOR_NAMES, LEVEL_ORDER, fmtScore,
} from '../tools/risk_tables.js';

const PER_PAGE = 50;

/* A level chip: colour, dot and words (colour is never the only signal). */
export function riskChip(color, level, extra) {
  if (!color) return h('span', { class: 'risk-chip risk-none' }, '未评估');
  return h('span', { class: `risk-chip risk-${color}`, dataset: { color } },
    `${level || ''}${extra ? extra : ''}`);
}

function factorRow(key, value, text, method) {
  const id = `f-${method}-${key}-${String(value).replace('.', '_')}`;
  return h('label', { class: 'factor-row', for: id },
    h('input', { type: 'radio', id, name: `${method}-${key}`, value: String(value) }),
    h('span', { class: 'factor-value' }, String(value)),
    h('span', { class: 'factor-text' }, text));
}

/* One factor of LEC (or L of LS) as a fieldset of radio rows. */
function factorSet(method, key, table) {
  return h('fieldset', { class: 'factor', dataset: { factor: key } },
    h('legend', {}, h('b', {}, table.name), ' ', table.title),
    table.rows.map(([v, t]) => factorRow(key, v, t, method)));
}

/* S of LS: each row carries the six criteria of its severity. */
function severitySet() {
  const t = LS.s;
  return h('fieldset', { class: 'factor factor-s', dataset: { factor: 's' } },
    h('legend', {}, h('b', {}, t.name), ' ', t.title),
    t.rows.map(([v, ...cells]) => {
      const id = `f-LS-s-${v}`;
      return h('label', { class: 'factor-row', for: id },
        h('input', { type: 'radio', id, name: 'LS-s', value: String(v) }),
        h('span', { class: 'factor-value' }, String(v)),
        h('span', { class: 'factor-text' },
          h('dl', { class: 'criteria' }, cells.map((c, i) => [h('dt', {}, t.columns[i]), h('dd', {}, c)]))));
    }));
}

function bandsTable(bands, current) {
  return h('table', { class: 'bands' },
    h('caption', {}, '分级标准'),
    h('tbody', {}, bands.map((b) => h('tr', { class: b.color === current ? 'current' : null },
      h('td', {}, riskChip(b.color, b.level)),
      h('td', { class: 'range' }, b.range),
      h('td', {}, `${b.grade}：${b.action}`)))));
}

/* The LS 5×5 matrix: L rows 5..1, S columns 1..5; a cell picks both factors. */
function matrix(l, s, pick) {
  const rows = [];
  for (let li = 5; li >= 1; li--) {
    const cells = [h('th', { scope: 'row' }, `L${li}`)];
    for (let si = 1; si <= 5; si++) {
      const r = li * si;
      const color = lsColor(r);
      const current = li === l && si === s;
      cells.push(h('td', {},
        h('button', {
          type: 'button',
          class: `cell risk-${color}${current ? ' current' : ''}`,
          'aria-label': `L=${li}，S=${si}，R=${r}，${LS_BANDS.find((b) => b.color === color).level}风险`,
          'aria-pressed': current ? 'true' : 'false',
          onclick: () => pick(li, si),
        }, String(r))));
    }
    rows.push(h('tr', {}, cells));
  }
  return h('table', { class: 'ls-matrix' },
    h('caption', {}, '风险矩阵（R = L × S）'),
    h('thead', {}, h('tr', {}, h('th', {}, ''), [1, 2, 3, 4, 5].map((si) => h('th', { scope: 'col' }, `S${si}`)))),
    h('tbody', {}, rows));
}

function riskPointRow(it, units) {
  const f = it.fields || {};
  const method = f.method || (f.s !== undefined && f.s !== null ? 'LS' : 'LEC');
  const score = method === 'LS'
    ? `R = ${fmtScore(f.r)}（L${fmtScore(f.l)} × S${fmtScore(f.s)}）`
    : `D = ${fmtScore(f.d)}（${fmtScore(f.l)} × ${fmtScore(f.e)} × ${fmtScore(f.c)}）`;
  return h('tr', {},
    h('td', {}, riskChip(f.risk_color, f.risk_level)),
    h('td', { class: 'code' }, it.code),
    h('td', {}, h('a', { href: `#/items/${it.id}` }, it.title)),
    h('td', {}, units.name(it.lead_unit_id)),
    h('td', { class: 'num' }, f.risk_color ? score : '—'),
    h('td', {}, f.control_level || f.suggested_control_level || '—'),
    h('td', {}, f.check_every_days ? `每 ${f.check_every_days} 天` : '—'),
    h('td', {}, lightBadge(it.light)));
}

export default {
  name: 'risk',
  path: /^#\/risk$/,
  title: '风险评估',
  nav: true,
  roles: ['leader', 'supervisor', 'manager', 'staff', 'viewer'],

  onLive(change) {
    if (change?.ledger === 'risk_point') this.live?.();
  },

  dispose() {
    this.live = null;
  },

  async render(main) {
    let method = 'LEC';
    let seq = 0;
    const result = h('div', { class: 'risk-result', 'aria-live': 'polite' });
    const factors = h('div', { class: 'factors' });
    const aside = h('aside', { class: 'risk-aside card' });
    const tabs = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': '评价方法' });
    const listBox = h('section', { class: 'risk-points card' });

    const chosen = () => {
      const out = {};
      for (const k of method === 'LEC' ? ['l', 'e', 'c'] : ['l', 's']) {
        const input = factors.querySelector(`input[name="${method}-${k}"]:checked`);
        if (input) out[k] = Number(input.value);
      }
      return out;
    };

    const showResult = (r, f) => {
      const formula = method === 'LEC'
        ? `D = L × E × C = ${fmtScore(f.l)} × ${fmtScore(f.e)} × ${fmtScore(f.c)}`
        : `R = L × S = ${fmtScore(f.l)} × ${fmtScore(f.s)}`;
      fill(result,
        h('div', { class: `score-box risk-${r.color}`, dataset: { color: r.color, level: r.level } },
          h('div', { class: 'score-label' }, method === 'LEC' ? '风险值 D' : '风险值 R'),
          h('div', { class: 'score', dataset: { score: fmtScore(r.score) } }, fmtScore(r.score)),
          h('div', { class: 'score-level' }, `${r.level}风险`),
          h('div', { class: 'score-color' }, `${RISK_COLOR_NAMES[r.color]}色标识`)),
        h('p', { class: 'formula' }, formula),
        h('p', { class: 'control' }, '建议管控层级：', h('b', {}, r.control_level || '—')));
    };

    const assess = async () => {
      const f = chosen();
      const need = method === 'LEC' ? 3 : 2;
      paintMatrix();
      if (Object.keys(f).length < need) {
        fill(result, h('p', { class: 'hint risk-wait' },
          method === 'LEC' ? '请为 L、E、C 各选择一项，即可得出风险值 D 和风险等级。'
            : '请为 L、S 各选择一项（或点击右侧矩阵中的格子），即可得出风险值 R 和风险等级。'));
        paintBands(null);
        return;
      }
      const mine = ++seq;
      try {
        const r = await api.post('/risk/assess', { method, ...f });
        if (mine !== seq) return;
        showResult(r, f);
        paintBands(r.color);
      } catch (err) {
        if (mine !== seq) return;
        fill(result, h('p', { class: 'field-error', role: 'alert' }, zh(err).text));
      }
    };

    let bandsBox = h('div');
    let matrixBox = h('div');
    const paintBands = (color) => {
      fill(bandsBox, bandsTable(method === 'LEC' ? LEC_BANDS : LS_BANDS, color));
    };
    const pick = (l, s) => {
      factors.querySelector(`#f-LS-l-${l}`).checked = true;
      factors.querySelector(`#f-LS-s-${s}`).checked = true;
      assess();
      matrixBox.querySelector('button.current')?.focus();
    };
    const paintMatrix = () => {
      if (method !== 'LS') return fill(matrixBox);
      const f = chosen();
      fill(matrixBox, matrix(f.l, f.s, pick));
    };

    const setMethod = (m) => {
      method = m;
      seq++;
      tabs.querySelectorAll('input').forEach((i) => { i.checked = i.value === m; });
      fill(factors,
        m === 'LEC'
          ? [factorSet('LEC', 'l', LEC.l), factorSet('LEC', 'e', LEC.e), factorSet('LEC', 'c', LEC.c)]
          : [factorSet('LS', 'l', LS.l), severitySet()]);
      factors.className = `factors factors-${m}`;
      fill(aside, h('h2', {}, '评估结果'), result, matrixBox, bandsBox);
      assess();
    };

    factors.addEventListener('change', assess);
    for (const [m, label, formula] of [['LEC', 'LEC 作业条件危险性分析法', 'D = L × E × C'],
      ['LS', 'LS 风险矩阵法', 'R = L × S']]) {
      tabs.append(h('label', { class: 'seg' },
        h('input', { type: 'radio', name: 'method', value: m, onchange: () => setMethod(m) }),
        h('span', {}, label, h('small', {}, formula))));
    }

    main.append(
      h('div', { class: 'page-head' },
        h('div', {},
          h('h1', {}, '风险评估'),
          h('p', { class: 'sub' }, '安全风险分级管控：逐项选择各因素的取值，系统按标准计算风险值，评定重大、较大、一般、低四级风险并给出建议管控层级。')),
        tabs),
      h('div', { class: 'risk-grid' }, factors, aside),
      listBox);
    setMethod('LEC');
    /* a risk point changed (a review, a new grade): the list is read again */
    this.live = debounce(() => {
      if (!listBox.isConnected) return;
      listBox._counts = null;
      renderPoints(listBox, listBox._page || 1, listBox._filter || null).catch(() => {});
    }, 800);
    await renderPoints(listBox, 1);
  },
};

function failed(err) {
  toast(err?.text || '风险点清单加载失败，请稍后再试', 'error');
}

/* The risk points: a four-colour count, then the list (a page at a time). */
async function renderPoints(box, page, filter = null) {
  box._page = page;
  box._filter = filter;
  const [units, j] = await Promise.all([
    loadUnits(),
    api.get('/items' + api.query({ ledger: 'risk_point', per_page: PER_PAGE, page,
      'f.risk_color': filter || undefined })),
  ]);
  let counts = box._counts;
  if (!counts) {
    /* one count per colour (per_page=1: only the totals are read) */
    const colors = ['red', 'orange', 'yellow', 'blue'];
    const totals = await Promise.all(colors.map((c) =>
      api.get(`/items?ledger=risk_point&per_page=1&f.risk_color=${c}`).then((r) => r.total)));
    counts = Object.fromEntries(colors.map((c, i) => [c, totals[i]]));
    counts.total = filter ? (await api.get('/items?ledger=risk_point&per_page=1')).total : j.total;
    box._counts = counts;
  }
  const items = [...j.items].sort((a, b) =>
    (LEVEL_ORDER[a.fields?.risk_level] || 9) - (LEVEL_ORDER[b.fields?.risk_level] || 9)
    || Number(b.fields?.d ?? b.fields?.r ?? 0) - Number(a.fields?.d ?? a.fields?.r ?? 0));
  const tile = (color, level) => h('button', {
    type: 'button',
    class: `risk-tile risk-${color}`,
    'aria-pressed': filter === color ? 'true' : 'false',
    onclick: () => renderPoints(box, 1, filter === color ? null : color).catch(failed),
  }, h('span', { class: 'n' }, String(counts[color])), h('span', {}, `${level}风险`));
  fill(box,
    h('div', { class: 'section-head' },
      h('h2', {}, '风险点清单'),
      h('p', { class: 'hint' }, `共 ${counts.total} 个风险点，按“红橙黄蓝”四色分级管控；点击色块只看该级。`)),
    h('div', { class: 'risk-tiles' },
      tile('red', '重大'), tile('orange', '较大'), tile('yellow', '一般'), tile('blue', '低')),
    items.length
      ? h('table', { class: 'data risk-table' },
        h('thead', {}, h('tr', {},
          ['风险等级', '编号', '风险点', '牵头单位', '风险值', '管控层级', '排查周期', '复核亮灯']
            .map((t) => h('th', { scope: 'col', class: t === '风险值' ? 'num' : null }, t)))),
        h('tbody', {}, items.map((it) => riskPointRow(it, units))))
      : h('p', { class: 'empty' }, filter ? '该等级暂无风险点。' : '暂无您可查看的风险点。'),
    pager({ page, perPage: PER_PAGE, total: j.total, label: '风险点分页',
      onGo: (p) => renderPoints(box, p, filter).catch(failed) }));
}
