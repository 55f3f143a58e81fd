// pages/warmap.js - 挂图作战: the leaders' and the supervision office's home.
// The counts by light and the two rates, the grid of lead units × ledgers,
// the red list, what falls due, the map of located items, the monthly trend
// and the per-unit scorecard; every number links to the items behind it.
//
// Leaders and supervisors see the whole district. Unit users (managers, staff,
// viewers) may open it too: the API scopes every figure to their unit and the
// units below it, and the page says so.
//
// It follows the server live: every change pushed on the stream (onLive)
// refetches what the page shows, debounced, so a change made by anyone shows
// within a second; a poll every 60 s covers a broken stream. 打印通报 opens the
// bulletin of a period as a PDF (warmap/print.js). The located items
// are patched from the change itself, and fetched again at most every 10 s.

import { h, fill, fmtDate, toast, debounce } from '../ui.js';
import { loadAll, createLocated } from '../warmap/model.js';
import { counters, grid, due, redList, scorecard } from '../warmap/widgets.js';
import { createMap } from '../warmap/mapview.js';
import { createTrend } from '../warmap/trend.js';
import { createBulletinControl } from '../warmap/print.js';

const POLL_MS = 60000;
const LIVE_DEBOUNCE_MS = 300;

let view = null;

/* A card with its heading; extra (optional, an element with class "head-extra") goes on the heading's right. */
function section(cls, title, sub, ...body) {
  const extra = body[0]?.classList?.contains('head-extra') ? body.shift() : null;
  return h('section', { class: `card wm-${cls}`, 'aria-labelledby': `wm-${cls}-h` },
    h('div', { class: 'card-head' }, h('h2', { id: `wm-${cls}-h` }, title), sub ? h('small', {}, sub) : null, extra),
    ...body);
}

function scopeText(ctx) {
  if (ctx.hasRole('leader', 'supervisor')) return '全区';
  return `${ctx.me.unit?.name || '本单位'}及下级单位`;
}

function clock() {
  const d = new Date();
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/* Fetches and redraws; full: also the located items, whatever their state. */
async function refresh(full = false) {
  const v = view;
  if (!v) return;
  const seq = ++v.seq;
  const located = full || v.located.fetchNow();
  let data;
  try {
    data = await loadAll({ located });
  } catch (e) {
    if (v === view && !v.failed) {
      v.failed = true;
      toast('挂图作战数据刷新失败：' + (e.text || e.message), 'error');
    }
    return;
  }
  if (v !== view || seq !== v.seq) return; /* left the page, or a newer refresh is under way */
  v.failed = false;
  v.data = data;
  if (data.located) v.located.set(data.located);
  const { dash, red, units } = data;
  fill(v.el.date, `数据日期 ${fmtDate(dash.today)} · 范围：${v.scope}`);
  v.bulletin.setToday(dash.today);
  fill(v.el.counters, counters(dash));
  fill(v.el.grid, grid(dash, units));
  fill(v.el.red, redList(red, units, dash.today));
  fill(v.el.due, due(dash));
  drawScorecard();
  v.trend?.update(dash.trend);
  const items = v.located.items;
  v.map?.setItems(items);
  const open = items.filter((it) => ['red', 'yellow', 'green'].includes(it.light)).length;
  fill(v.el.mapCount, `有位置的事项 ${items.length} 项，其中在办 ${open} 项`
    + (v.located.truncated ? '（仅显示前 20000 项）' : ''));
  fill(v.el.updated, `更新于 ${clock()}`);
  v.root.dataset.loaded = String(seq);
  /* changes of items not on the map yet: fetch the located items again when allowed */
  const wait = v.located.waitMs();
  clearTimeout(v.later);
  if (wait !== null) v.later = setTimeout(() => refresh(), wait + 50);
}

function drawScorecard() {
  const v = view;
  if (!v?.data?.scorecard) return;
  fill(v.el.score, scorecard(v.data.scorecard, v.data.units, v.sort, (key) => {
    v.sort = v.sort.key === key ? { key, desc: !v.sort.desc } : { key, desc: true };
    drawScorecard();
    v.el.score.querySelector(`th[aria-sort] button`)?.focus();
  }));
}

export default {
  name: 'warmap',
  path: /^#\/map$/,
  title: '挂图作战',
  nav: true,
  roles: ['leader', 'supervisor', 'manager', 'staff', 'viewer'],

  async render(main, match, ctx) {
    const el = {
      date: h('p', { class: 'sub' }, '正在载入…'),
      updated: h('span', { class: 'updated', 'aria-live': 'off' }),
      counters: h('div', { class: 'counters-wrap' }),
      grid: h('div', { class: 'grid-wrap', tabindex: '0', 'aria-label': '作战图（可滚动）' }),
      red: h('div', {}),
      due: h('div', {}),
      map: h('div', { class: 'map-canvas', role: 'img', 'aria-label': '事项分布图：有位置的事项按灯色标注在区界上' }),
      mapCount: h('p', { class: 'map-note' }),
      mapBoundary: h('p', { class: 'map-note boundary-note' }),
      trend: h('div', { class: 'trend-canvas', role: 'img', 'aria-label': '最近 12 个月交办、销号与按期销号率' }),
      score: h('div', { class: 'score-wrap' }),
    };
    const bulletin = createBulletinControl();
    const root = h('div', { class: 'warmap' },
      h('div', { class: 'wm-head' },
        h('div', {}, h('h1', {}, '挂图作战'), el.date),
        h('div', { class: 'wm-actions' }, el.updated, bulletin.el,
          h('a', { class: 'button', href: '#/screen', title: '全屏深色大屏，适合指挥中心 1920×1080 显示' }, '大屏模式'))),
      el.counters,
      h('div', { class: 'wm-row wm-row-top' },
        section('grid', '作战图', '牵头单位 × 台账 · 数字为在办事项，颜色为其中最严重的灯',
          h('p', { class: 'legend head-extra', 'aria-label': '颜色说明' },
            h('span', { class: 'sw sw-red' }), '有红灯', h('span', { class: 'sw sw-yellow' }), '有黄灯',
            h('span', { class: 'sw sw-green' }), '全部绿灯', h('span', { class: 'sw sw-done' }), '均已销号'),
          el.grid),
        h('div', { class: 'wm-side' },
          section('red', '红灯事项', '逾期最久的在前', el.red),
          section('due', '临期预警', '待牵头单位办理、按工作日计', el.due))),
      h('div', { class: 'wm-row wm-row-mid' },
        section('map', '事项分布图', '拖动平移 · 滚轮缩放 · 点击查看事项',
          h('div', { class: 'map-tools' },
            h('button', { type: 'button', 'aria-label': '放大', title: '放大', onclick: () => view?.map?.zoom(1.6) }, '＋'),
            h('button', { type: 'button', 'aria-label': '缩小', title: '缩小', onclick: () => view?.map?.zoom(1 / 1.6) }, '－'),
            h('button', { type: 'button', title: '回到全区', onclick: () => view?.map?.reset() }, '全区')),
          el.map, el.mapCount, el.mapBoundary),
        section('trend', '月度趋势', '最近 12 个月：交办、销号与按期销号率', el.trend)),
      section('score', '单位考评', '按牵头单位统计实绩，不以登录次数、在线时长排名', el.score));
    main.append(root);
    view = {
      root, el, ctx, seq: 0, data: null, failed: false, map: null, trend: null, bulletin,
      scope: scopeText(ctx), sort: { key: 'on_time_rate', desc: true }, located: createLocated(),
    };
    const v = view;
    v.live = debounce(refresh, LIVE_DEBOUNCE_MS);
    v.poll = setInterval(() => refresh(true), POLL_MS);
    v.trend = createTrend(el.trend);
    try {
      v.map = await createMap(el.map, { onItem: (id) => ctx.go(`#/items/${id}`) });
      if (v !== view) {
        v.map.dispose();
        return;
      }
      if (v.map.approximate) {
        fill(el.mapBoundary, '区界为示意边界（非精确），管理员可上传本区边界。');
      }
    } catch (e) {
      fill(el.map, h('p', { class: 'empty-note', role: 'alert' }, '地图无法显示：' + (e.text || e.message)));
      el.map.classList.add('map-failed');
    }
    await refresh(true);
    if (v === view && !v.data) throw new Error('无法载入挂图作战数据，请稍后刷新页面');
  },

  onLive(change) {
    if (!view) return;
    view.located.apply(change);
    view.live();
  },

  dispose() {
    if (!view) return;
    clearInterval(view.poll);
    clearTimeout(view.later);
    view.map?.dispose();
    view.trend?.dispose();
    view = null;
  },
};
