// pages/screen.js - 大屏: the war map for a command centre's wall, 1920×1080,
// dark, without the header, readable from across the room: the big counts and
// the four lights, the rates, the map, the red list, the units with the most
// red and yellow, what falls due, the trend, and a clock with the Chinese date.
//
// It keeps itself current: every change pushed on the stream (onLive) refetches
// the dashboard after 300 ms of quiet, and a poll every 60 s covers a broken
// stream. The layout is fixed at 1920×1080 and scaled to the window, so a wall
// of another size shows the same picture.

import { h, fill, fmtDate, debounce } from '../ui.js';
import { loadAll, districtName, createLocated } from '../warmap/model.js';
import { counters, grid, due, redList } from '../warmap/widgets.js';
import { createMap } from '../warmap/mapview.js';
import { createTrend } from '../warmap/trend.js';

const POLL_MS = 60000;
const LIVE_DEBOUNCE_MS = 300;
const W = 1920;
const H = 1080;
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

let view = null;

function pad(n) {
  return String(n).padStart(2, '0');
}

function tick() {
  if (!view) return;
  const d = new Date();
  fill(view.el.date, `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 星期${WEEKDAYS[d.getDay()]}`);
  fill(view.el.time, `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`);
}

/* Fits the 1920×1080 stage into the window (letterboxed), so nothing overflows. */
function fit() {
  if (!view) return;
  const s = Math.min(window.innerWidth / W, window.innerHeight / H);
  view.stage.style.transform = `scale(${s})`;
  view.stage.style.left = `${Math.max(0, (window.innerWidth - W * s) / 2)}px`;
  view.stage.style.top = `${Math.max(0, (window.innerHeight - H * s) / 2)}px`;
}

function panel(cls, title, ...body) {
  return h('section', { class: `sc-panel sc-${cls}` }, h('h2', {}, title), ...body);
}

/* Fetches and redraws; full: also the located items, whatever their state. */
async function refresh(full = false) {
  const v = view;
  if (!v) return;
  const seq = ++v.seq;
  let data;
  try {
    data = await loadAll({ scorecard: false, located: full || v.located.fetchNow(), redCount: 8 });
  } catch (e) {
    if (v === view) v.root.classList.add('stale');
    return;
  }
  if (v !== view || seq !== v.seq) return;
  v.root.classList.remove('stale');
  if (data.located) v.located.set(data.located);
  const { dash, red, units } = data;
  const name = districtName(units);
  fill(v.el.title, `${name}挂图作战`);
  fill(v.el.asof, `数据日期 ${fmtDate(dash.today)}`);
  fill(v.el.counters, counters(dash));
  fill(v.el.red, h('p', { class: 'sc-total' }, `共 ${red.total} 项，逾期最久的在前`),
    redList(red, units, dash.today, { showAll: false }));
  fill(v.el.due, due(dash));
  fill(v.el.grid, grid(dash, units, { limit: 7 }));
  v.trend?.update(dash.trend);
  v.map?.setItems(v.located.items);
  v.root.dataset.loaded = String(seq);
  const wait = v.located.waitMs();
  clearTimeout(v.later);
  if (wait !== null) v.later = setTimeout(() => refresh(), wait + 50);
}

export default {
  name: 'screen',
  path: /^#\/screen$/,
  title: '大屏',
  bare: true,
  roles: ['leader', 'supervisor', 'manager', 'staff', 'viewer'],

  async render(main, match, ctx) {
    const el = {
      title: h('h1', {}, '挂图作战'),
      asof: h('span', { class: 'asof' }),
      date: h('span', { class: 'date' }),
      time: h('span', { class: 'time' }),
      counters: h('div', {}),
      red: h('div', {}),
      due: h('div', {}),
      grid: h('div', {}),
      map: h('div', { class: 'sc-map-canvas', role: 'img', 'aria-label': '事项分布图' }),
      trend: h('div', { class: 'sc-trend-canvas', role: 'img', 'aria-label': '月度趋势' }),
    };
    const stage = h('div', { class: 'sc-stage' },
      h('header', { class: 'sc-head' },
        h('div', { class: 'sc-brand' }, h('img', { src: '/img/logo.svg', alt: '' }), el.title,
          h('span', { class: 'sc-scope' }, ctx.hasRole('leader', 'supervisor') ? '全区' : `${ctx.me.unit?.name || ''}范围`)),
        h('div', { class: 'sc-clock', 'aria-label': '当前时间' }, el.date, el.time, el.asof),
        h('nav', { class: 'sc-exit', 'aria-label': '大屏操作' },
          h('button', {
            type: 'button', title: '全屏显示',
            onclick: () => (document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen?.()),
          }, '全屏'),
          h('a', { href: '#/map', title: '返回挂图作战' }, '退出大屏'))),
      h('div', { class: 'sc-body' },
        h('div', { class: 'sc-left' },
          panel('totals', '总体情况', el.counters),
          panel('due', '临期预警（工作日）', el.due)),
        panel('map', '事项分布', el.map),
        panel('red', '红灯事项', el.red)),
      h('div', { class: 'sc-foot' },
        panel('grid', '重点单位作战图（红灯、黄灯多的在前）', el.grid),
        panel('trend', '月度趋势', el.trend)));
    const root = h('div', { class: 'screen' }, stage);
    main.append(root);
    view = { root, stage, el, seq: 0, map: null, trend: null, located: createLocated() };
    const v = view;
    fit();
    tick();
    v.clock = setInterval(tick, 1000);
    v.poll = setInterval(() => refresh(true), POLL_MS);
    v.live = debounce(refresh, LIVE_DEBOUNCE_MS);
    v.onResize = () => fit();
    window.addEventListener('resize', v.onResize);
    v.trend = createTrend(el.trend, { dark: true });
    try {
      v.map = await createMap(el.map, { dark: true, fit: false, onItem: (id) => ctx.go(`#/items/${id}`) });
      if (v !== view) {
        v.map.dispose();
        return;
      }
    } catch (e) {
      fill(el.map, h('p', { class: 'sc-error', role: 'alert' }, '地图无法显示：' + (e.text || e.message)));
    }
    await refresh(true);
  },

  onLive(change) {
    if (!view) return;
    view.located.apply(change);
    view.live();
  },

  dispose() {
    if (!view) return;
    clearInterval(view.clock);
    clearInterval(view.poll);
    clearTimeout(view.later);
    window.removeEventListener('resize', view.onResize);
    view.map?.dispose();
    view.trend?.dispose();
    view = null;
  },
};
