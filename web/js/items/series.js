// items/series.js - what an indicator or an eco-environment problem reports
// month by month (GET /items/{id}/series), as an ECharts line chart with a
// table under it, and a small form to report one period (PUT
// /items/{id}/series/{period}) for those the item says may (`may.series`).
//
// Indicators: the year-to-date value (总量 targets) against the pace line
// annual_target × month / 12, or the cumulative growth rate (增速 targets)
// against the target; each point coloured by the period's pace light.
// Eco problems: one monitored item at a time (氨氮 …) against the limit of the
// section's target class under GB 3838-2002 (the table the server evaluates
// with, DOMAIN 10.2), and the water class of every month under the axis.

import { api } from '../api.js';
import { h, fill, showError, clearErrors, toast, lightBadge } from '../ui.js';
import { waterBadge } from './fieldview.js';
import { explain } from './messages.js';

const COLORS = { green: '#2e7d32', yellow: '#e0a800', red: '#c62828', none: '#6b7280' };

/* GB 3838-2002 basic items: name, unit, whether the limit is a floor, limits for Ⅰ..Ⅴ. */
const WATER_ITEMS = {
  nh3_n: { name: '氨氮', unit: 'mg/L', limits: [0.15, 0.5, 1.0, 1.5, 2.0] },
  tp: { name: '总磷', unit: 'mg/L', limits: [0.02, 0.1, 0.2, 0.3, 0.4], lake: [0.01, 0.025, 0.05, 0.1, 0.2] },
  cod: { name: '化学需氧量', unit: 'mg/L', limits: [15, 15, 20, 30, 40] },
  cod_mn: { name: '高锰酸盐指数', unit: 'mg/L', limits: [2, 4, 6, 10, 15] },
  bod5: { name: '五日生化需氧量', unit: 'mg/L', limits: [3, 3, 4, 6, 10] },
  do: { name: '溶解氧', unit: 'mg/L', floor: true, limits: [7.5, 6, 5, 3, 2] },
  tn: { name: '总氮', unit: 'mg/L', limits: [0.2, 0.5, 1.0, 1.5, 2.0] },
  ph: { name: 'pH', unit: '', range: [6, 9] },
  aqi: { name: '空气质量指数 AQI', unit: '' },
};
const CLASSES = ['Ⅰ类', 'Ⅱ类', 'Ⅲ类', 'Ⅳ类', 'Ⅴ类'];

function limitOf(key, fields) {
  const it = WATER_ITEMS[key];
  const k = CLASSES.indexOf(fields.target_class);
  if (!it || k < 0 || !it.limits) return null;
  const table = fields.water_body === '湖库' && it.lake ? it.lake : it.limits;
  return table[k];
}

const monthLabel = (p) => `${+p.slice(5, 7)}月`;
/* An indicator's period is cumulative from January, as bulletins write it: 1-2月, 1-3月 … */
const cumulativeLabel = (p) => (+p.slice(5, 7) >= 2 ? `1-${+p.slice(5, 7)}月` : monthLabel(p));

/* ECharts writes a tooltip as HTML: every piece of text from the server goes through this. */
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/* ---- indicators */

function indicatorView(item, rows) {
  const f = item.fields;
  const growth = f.target_kind ? f.target_kind === '增速' : f.unit_of_measure === '%';
  const uom = f.unit_of_measure || '';
  const periods = rows.map((r) => r.period);
  const actual = rows.map((r) => {
    const v = growth ? r.data.yoy : r.data.value;
    const light = r.evaluation?.light || 'none';
    return { value: v ?? null, itemStyle: { color: COLORS[light] }, reason: r.evaluation?.reason || '' };
  });
  const target = rows.map((r) => {
    if (growth) return r.data.target ?? f.annual_target ?? null;
    if (f.annual_target === undefined || f.annual_target === null) return null;
    return Math.round(f.annual_target * (+r.period.slice(5, 7)) / 12 * 100) / 100;
  });
  const name = growth ? '累计增速（%）' : `本年累计（${uom}）`;
  const tname = growth ? '目标增速（%）' : `序时目标（${uom}）`;
  const option = {
    animation: false,
    grid: { left: 56, right: 24, top: 40, bottom: 36 },
    legend: { top: 4, data: [name, tname] },
    tooltip: {
      trigger: 'axis',
      formatter: (ps) => {
        const i = ps[0].dataIndex;
        const lines = [`<b>${esc(periods[i])}</b>`];
        for (const p of ps) lines.push(`${p.marker}${esc(p.seriesName)}：${esc(p.value ?? '—')}`);
        if (actual[i].reason) lines.push(esc(actual[i].reason));
        return lines.join('<br>');
      },
    },
    xAxis: { type: 'category', data: periods.map(cumulativeLabel), axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', scale: growth, name: growth ? '%' : uom, nameGap: 12 },
    series: [
      { name, type: 'line', data: actual, symbol: 'circle', symbolSize: 11, lineStyle: { width: 3, color: '#1565c0' }, itemStyle: { color: '#1565c0', borderColor: '#fff', borderWidth: 2 } },
      { name: tname, type: 'line', data: target, symbol: 'none', lineStyle: { type: 'dashed', width: 2, color: '#9e9e9e' }, itemStyle: { color: '#9e9e9e' } },
    ],
  };
  const table = h('table', { class: 'data series-table' },
    h('thead', {}, h('tr', {}, h('th', {}, '期间'), h('th', { class: 'num' }, growth ? '累计增速' : '本年累计'),
      h('th', { class: 'num' }, growth ? '目标' : '序时目标'), h('th', {}, '进度预警'), h('th', {}, '说明'))),
    h('tbody', {}, rows.map((r, i) => h('tr', {},
      h('td', {}, r.period, r.data.note ? h('small', { class: 'muted' }, ` ${r.data.note}`) : null),
      h('td', { class: 'num' }, actual[i].value ?? '—', actual[i].value !== null && growth ? '%' : ''),
      h('td', { class: 'num' }, target[i] ?? '—', target[i] !== null && growth ? '%' : ''),
      h('td', {}, r.evaluation?.light ? lightBadge(r.evaluation.light) : '—'),
      h('td', {}, r.evaluation?.reason || '')))));
  const head = h('div', { class: 'series-head' },
    h('span', {}, `${f.measure || '指标'}：年度目标 `, h('strong', {}, f.annual_target ?? '—', growth ? '%' : ` ${uom}`),
      f.target_kind ? `（${f.target_kind}）` : ''),
    f.pace_light ? h('span', { class: 'pace' }, '进度预警 ', lightBadge(f.pace_light), ' ', f.pace_reason || '') : null);
  return { head, option, table };
}

/* ---- eco problems */

function ecoKeys(rows) {
  const keys = Object.keys(WATER_ITEMS).filter((k) => rows.some((r) => r.data[k] !== undefined));
  return keys;
}

function ecoView(item, rows, chosen) {
  const f = item.fields;
  const info = WATER_ITEMS[chosen];
  const limit = limitOf(chosen, f);
  const periods = rows.map((r) => r.period);
  const values = rows.map((r) => {
    const v = r.data[chosen];
    const num = v === undefined ? null : Number(v);
    const bad = num !== null && limit !== null && (info.floor ? num < limit : num > limit);
    return { value: num, itemStyle: { color: bad ? COLORS.red : COLORS.green } };
  });
  const classes = rows.map((r) => r.evaluation?.water_class || '');
  const series = [{
    name: info.name, type: 'line', data: values, symbol: 'circle', symbolSize: 11, lineStyle: { width: 3, color: '#1565c0' },
    itemStyle: { color: '#1565c0', borderColor: '#fff', borderWidth: 2 },
  }];
  if (limit !== null) {
    series[0].markLine = {
      symbol: 'none', silent: true,
      lineStyle: { type: 'dashed', color: COLORS.red, width: 2 },
      label: { formatter: `${f.target_class}限值 ${limit}`, position: 'insideEndTop', color: COLORS.red },
      data: [{ yAxis: limit }],
    };
  }
  const option = {
    animation: false,
    grid: { left: 56, right: 24, top: 36, bottom: 52 },
    tooltip: {
      trigger: 'axis',
      formatter: (ps) => {
        const i = ps[0].dataIndex;
        return [`<b>${esc(periods[i])}</b>`, `${info.name}：${esc(values[i].value ?? '—')} ${info.unit}`,
          limit !== null ? `${esc(f.target_class)}限值：${limit} ${info.unit}` : '', classes[i] ? `水质类别：${esc(classes[i])}` : '']
          .filter(Boolean).join('<br>');
      },
    },
    xAxis: {
      type: 'category', data: periods,
      axisLabel: { formatter: (p, i) => `${monthLabel(p)}\n${classes[i] || ''}`, lineHeight: 16 },
    },
    yAxis: { type: 'value', name: info.unit, nameGap: 12, max: limit !== null ? (v) => Math.max(v.max, limit) * 1.1 : undefined },
    series,
  };
  const table = h('table', { class: 'data series-table' },
    h('thead', {}, h('tr', {}, h('th', {}, '期间'), h('th', {}, '水质类别'), h('th', {}, '达标'),
      h('th', {}, '超标因子'),
      ecoKeys(rows).map((k) => h('th', { class: 'num' }, WATER_ITEMS[k].name)))),
    h('tbody', {}, rows.map((r) => h('tr', {},
      h('td', {}, r.period),
      h('td', {}, r.evaluation?.water_class ? waterBadge(r.evaluation.water_class, f.target_class) : '—'),
      h('td', {}, r.evaluation?.complies === undefined ? '—' : r.evaluation.complies
        ? h('span', { class: 'badge badge-good' }, '达标') : h('span', { class: 'badge badge-bad' }, '未达标')),
      h('td', {}, (r.evaluation?.exceed || []).map((x) => `${x.name}${x.multiple ? `超标${x.multiple}倍` : '超标'}`).join('、') || '—'),
      ecoKeys(rows).map((k) => h('td', { class: 'num' }, r.data[k] ?? '—'))))));
  const head = h('div', { class: 'series-head' },
    h('span', {}, `${f.section || '监测断面'}：目标 `, h('strong', {}, f.target_class || '—'),
      f.water_body ? `（${f.water_body}）` : ''),
    f.water_class ? h('span', {}, '最新 ', waterBadge(f.water_class, f.target_class),
      f.complies === undefined ? '' : f.complies ? ' 达标' : ' 未达标') : null);
  return { head, option, table };
}

/* ---- the period form */

function nextPeriod(rows) {
  const last = rows.length ? rows[rows.length - 1].period : null;
  const d = new Date();
  if (!last) return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
  let y = +last.slice(0, 4);
  let m = +last.slice(5, 7) + 1;
  if (m > 12) { y++; m = 1; }
  return `${y}-${String(m).padStart(2, '0')}`;
}

function periodForm(item, rows, onSaved) {
  const indicator = item.ledger === 'indicator';
  const num = (name, label, hint) => h('label', { class: 'field' }, h('span', { class: 'label' }, label),
    h('input', { type: 'number', step: 'any', name, inputmode: 'decimal' }), hint ? h('small', { class: 'hint' }, hint) : null);
  const f = item.fields;
  const growth = f.target_kind ? f.target_kind === '增速' : f.unit_of_measure === '%';
  const inputs = indicator
    ? [...(growth
      ? [num('yoy', '累计增速（%）'), num('target', '当期目标（%）', '不填则按年度目标'), num('value', '本年累计值', '可不填')]
      : [num('value', `本年累计值${f.unit_of_measure ? '（' + f.unit_of_measure + '）' : ''}`), num('yoy', '累计增速（%）', '可不填')]),
    h('label', { class: `field${growth ? '' : ' span-2'}` }, h('span', { class: 'label' }, '备注'), h('input', { name: 'note', placeholder: '如：前三季度' }))]
    : [...['nh3_n', 'tp', 'cod', 'cod_mn', 'bod5', 'do', 'tn', 'ph'].map((k) => num(k, `${WATER_ITEMS[k].name}${WATER_ITEMS[k].unit ? '（' + WATER_ITEMS[k].unit + '）' : ''}`)),
      num('aqi', 'AQI'),
      h('label', { class: 'field' }, h('span', { class: 'label' }, '监测断面'), h('input', { name: 'section', value: item.fields.section || '' })),
      h('label', { class: 'field span-2' }, h('span', { class: 'label' }, '备注'), h('input', { name: 'note' }))];
  const form = h('form', { class: 'period-form', novalidate: true },
    h('h3', {}, '报送一期数据'),
    h('div', { class: 'form-grid form-grid-4' },
      h('label', { class: 'field' }, h('span', { class: 'label' }, '期间（月份）'),
        h('input', { type: 'month', name: 'period', value: nextPeriod(rows), required: true }),
        indicator ? h('small', { class: 'hint' }, '1—2月合并报送为 2 月') : null),
      inputs),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, '报送'),
      h('small', { class: 'hint' }, '同一期再次报送即覆盖原数据')));
  form.addEventListener('input', () => { form.dataset.dirty = '1'; });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const period = form.elements.period.value;
    if (!/^\d{4}-\d{2}$/.test(period)) return showError(form, { field: 'period', text: '请选择月份' });
    const body = {};
    for (const el of form.querySelectorAll('input[name]')) {
      if (el.name === 'period' || el.value.trim() === '') continue;
      body[el.name] = el.type === 'number' ? (el.name === 'aqi' ? parseInt(el.value, 10) : Number(el.value)) : el.value.trim();
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const res = await api.put(`/items/${item.id}/series/${period}`, body);
      toast(`已报送 ${period} 数据`);
      delete form.dataset.dirty;
      await onSaved(res.item);
    } catch (err) {
      const label = (k) => WATER_ITEMS[k]?.name || { value: '本年累计值', yoy: '累计增速', target: '当期目标', note: '备注', period: '期间', section: '监测断面' }[k];
      showError(form, explain(err, { label }));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/*
 * The 数据走势 section of an item with a series. Returns {el, update(item,
 * rows), dirty(), dispose()}; onSaved(item) after a period is stored.
 */
export function seriesSection(onSaved) {
  const box = h('div', { class: 'series' });
  const chartEl = h('div', { class: 'chart', role: 'img' });
  let chart = null;
  let form = null;
  let chosen = null;
  let last = null;
  const resize = () => chart?.resize();
  window.addEventListener('resize', resize);

  function draw(item, rows) {
    last = { item, rows };
    const eco = item.ledger === 'eco_problem';
    const keys = eco ? ecoKeys(rows) : [];
    if (eco && (!chosen || !keys.includes(chosen))) {
      const worst = rows.length ? rows[rows.length - 1].evaluation?.exceed?.[0]?.item : null;
      chosen = keys.includes(worst) ? worst : keys.includes('nh3_n') ? 'nh3_n' : keys[0];
    }
    const view = !rows.length ? null : eco ? ecoView(item, rows, chosen) : indicatorView(item, rows);
    const picker = eco && keys.length > 1 ? h('div', { class: 'seg', role: 'group', 'aria-label': '监测项目' },
      keys.map((k) => h('button', {
        type: 'button', 'aria-pressed': k === chosen ? 'true' : 'false', dataset: { item: k },
        onclick: () => { chosen = k; draw(last.item, last.rows); box.querySelector(`[data-item="${k}"]`)?.focus(); },
      }, WATER_ITEMS[k].name))) : null;
    chartEl.setAttribute('aria-label', view ? `${eco ? WATER_ITEMS[chosen].name : item.fields.measure || '指标'}逐月走势图` : '');
    // a form nobody has typed into is rebuilt, so its month follows the latest period
    if (!item.may?.series) form = null;
    else if (!form || form.dataset.dirty !== '1') form = periodForm(item, rows, onSaved);
    fill(box,
      view ? view.head : null,
      picker,
      view ? chartEl : h('p', { class: 'muted' }, '尚未报送数据。'),
      view ? h('details', { class: 'series-details' }, h('summary', {}, '逐期数据'), view.table) : null,
      form);
    if (view && window.echarts) {
      if (!chart) chart = window.echarts.init(chartEl, null, { renderer: 'canvas' });
      chart.setOption(view.option, true);
      requestAnimationFrame(resize);
    }
  }

  return {
    el: box,
    update: draw,
    dirty: () => form?.dataset.dirty === '1',
    dispose() {
      window.removeEventListener('resize', resize);
      chart?.dispose();
      chart = null;
    },
  };
}

