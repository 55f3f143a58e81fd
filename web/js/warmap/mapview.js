// warmap/mapview.js - the map of located items: the district boundary served
// by our own server (GET /api/v1/map/boundary, GeoJSON registered with
// ECharts), the items as points coloured by light, pan and zoom with the mouse
// or the buttons. No tiles and nothing from the internet.
//
// Above CLUSTER_AT points the points are grouped by a grid of CELL pixels at
// the current zoom; a cluster takes the worst light among its items, shows
// its count (the tooltip tells them by light) and zooms in when clicked; a
// single point opens its item. The legend hides a light's points and leaves
// them out of the clusters. The container carries data-count (located items given to the map) and
// data-points (marks drawn) for tests and for the curious.

import { LIGHT_NAMES } from '../ui.js';
import { LIGHT_COLORS } from './widgets.js';

const MAP_NAME = 'tz-district';
const CLUSTER_AT = 300;
const CELL = 46; /* px */
const SERIES = ['red', 'yellow', 'green', 'done', 'none'];
const SERIES_NAMES = { ...LIGHT_NAMES, none: '未交办/已撤销' };

let boundary = null; /* {json, uploaded} once fetched */

async function loadBoundary() {
  if (boundary) return boundary;
  const res = await fetch('/api/v1/map/boundary', { credentials: 'same-origin' });
  if (!res.ok) throw new Error('区界加载失败（HTTP ' + res.status + '）');
  const json = await res.json();
  boundary = { json, uploaded: res.headers.get('X-Boundary-Source') === 'uploaded' };
  echarts.registerMap(MAP_NAME, json);
  return boundary;
}

/* [minLon, minLat, maxLon, maxLat] of GeoJSON coordinates, or of [lon, lat] pairs. */
function bboxOf(json) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      x0 = Math.min(x0, c[0]); x1 = Math.max(x1, c[0]);
      y0 = Math.min(y0, c[1]); y1 = Math.max(y1, c[1]);
    } else c.forEach(walk);
  };
  if (Array.isArray(json)) json.forEach(walk);
  else (json.type === 'Feature' ? [json] : json.features || []).forEach((f) => f.geometry && walk(f.geometry.coordinates));
  return Number.isFinite(x0) ? [x0, y0, x1, y1] : null;
}

function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));
}

/*
 * Draws into el. opts: {dark, onItem(id), labels, fit (frame the items at first, default true)}. Returns {setItems(items), resize(), dispose(),
 * approximate} once the boundary is in.
 */
export async function createMap(el, opts = {}) {
  const b = await loadBoundary();
  const dark = !!opts.dark;
  const chart = echarts.init(el, null, { renderer: 'canvas' });
  const outline = b.json.features?.find((f) => f.properties?.kind === 'district')?.properties?.name;
  const ink = dark ? '#c9d6ea' : '#4b5563';
  const box = bboxOf(b.json);
  const home = box ? [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2] : undefined;
  let fitted = false;
  let items = [];
  let clustered = false;

  chart.setOption({
    backgroundColor: 'transparent',
    animation: false,
    tooltip: {
      trigger: 'item',
      confine: true,
      backgroundColor: dark ? 'rgba(10,22,40,.95)' : '#fff',
      borderColor: dark ? '#2b4c7e' : '#dde1e6',
      textStyle: { color: dark ? '#e8eef8' : '#1f2937', fontSize: dark ? 16 : 13 },
      formatter: (p) => {
        const d = p.data;
        if (!d || !d.value) return esc(p.name);
        if (d.count > 1) {
          const parts = SERIES.filter((l) => d.by[l]).map((l) => `${esc(SERIES_NAMES[l])} ${d.by[l]}`);
          return `共 ${d.count} 项：${parts.join('、')}<br><span style="opacity:.7">点击放大查看</span>`;
        }
        return `<b>${esc(d.code)}</b> ${esc(SERIES_NAMES[d.light])}<br>${esc(d.title)}`
          + (d.address ? `<br><span style="opacity:.7">${esc(d.address)}</span>` : '');
      },
    },
    legend: {
      data: SERIES.map((k) => SERIES_NAMES[k]),
      selected: { [SERIES_NAMES.none]: false },
      bottom: 6,
      left: 'center',
      itemWidth: 12,
      itemHeight: 12,
      icon: 'circle',
      textStyle: { color: ink, fontSize: dark ? 15 : 12 },
    },
    geo: {
      map: MAP_NAME,
      roam: true,
      center: home,
      zoom: 1,
      scaleLimit: { min: 0.8, max: 16 },
      layoutCenter: ['50%', '47%'],
      layoutSize: '92%',
      selectedMode: false,
      label: {
        show: opts.labels !== false,
        color: dark ? '#6f86a8' : '#8a94a3',
        fontSize: dark ? 13 : 11,
        /* short names keep the small street areas legible: 大众街街道 -> 大众街 */
        formatter: (p) => String(p.name).replace(/街道$/, ''),
      },
      itemStyle: {
        areaColor: dark ? '#10233f' : '#eef2f7',
        borderColor: dark ? '#3b5f93' : '#b8c2d0',
        borderWidth: 1,
        borderType: 'dashed',
      },
      emphasis: { disabled: true },
      regions: outline ? [{
        name: outline,
        label: { show: false },
        itemStyle: {
          areaColor: dark ? '#0d1d35' : '#f7f9fc',
          borderColor: dark ? '#5b8bd6' : '#8e1414',
          borderWidth: 2.5,
          borderType: 'solid',
        },
      }] : [],
    },
    series: SERIES.map((light) => ({
      name: SERIES_NAMES[light],
      type: 'scatter',
      coordinateSystem: 'geo',
      geoIndex: 0,
      data: [],
      itemStyle: {
        color: LIGHT_COLORS[light],
        borderColor: dark ? '#0a1628' : '#fff',
        borderWidth: 1.5,
        opacity: light === 'done' || light === 'none' ? 0.75 : 0.95,
      },
      symbolSize: (v, p) => (p.data?.count > 1 ? 16 + 7 * Math.log2(p.data.count) : dark ? 14 : 11),
      label: {
        show: true,
        formatter: (p) => (p.data?.count > 1 ? String(p.data.count) : ''),
        color: light === 'yellow' ? '#3a2a00' : '#fff',
        fontWeight: 'bold',
        fontSize: dark ? 14 : 11,
      },
      emphasis: { scale: 1.3 },
      z: 10 - SERIES.indexOf(light),
    })),
  });

  const lightOf = (it) => (SERIES.includes(it.light) ? it.light : 'none');
  const point = (it) => ({
    value: [it.lon, it.lat], id: it.id, code: it.code, title: it.title, address: it.address,
    light: lightOf(it), count: 1, name: it.code,
  });

  /*
   * Groups the points by CELL pixels at the current zoom; a group of one stays a point, a
   * larger one becomes a cluster that takes the worst light among its items and counts them.
   */
  function cluster(list) {
    const cells = new Map();
    for (const p of list) {
      const px = chart.convertToPixel({ geoIndex: 0 }, p.value);
      if (!px) continue;
      const key = `${Math.floor(px[0] / CELL)},${Math.floor(px[1] / CELL)}`;
      const c = cells.get(key);
      if (c) c.push(p);
      else cells.set(key, [p]);
    }
    return [...cells.values()].map((g) => {
      if (g.length === 1) return g[0];
      const by = {};
      for (const p of g) by[p.light] = (by[p.light] || 0) + 1;
      const light = SERIES.find((l) => by[l]);
      const lon = g.reduce((s, p) => s + p.value[0], 0) / g.length;
      const lat = g.reduce((s, p) => s + p.value[1], 0) / g.length;
      return { value: [lon, lat], light, count: g.length, by, name: `${g.length} 项` };
    });
  }

  /* The lights the legend shows; the others are neither drawn nor clustered. */
  const shown = new Set(SERIES.filter((l) => l !== 'none'));

  function draw() {
    const all = items.map(point);
    const visible = all.filter((p) => shown.has(p.light));
    clustered = visible.length > CLUSTER_AT;
    const data = Object.fromEntries(SERIES.map((l) => [l, []]));
    for (const p of clustered ? cluster(visible) : visible) data[p.light].push(p);
    /* hidden lights keep their points in their (hidden) series */
    for (const p of all) if (!shown.has(p.light)) data[p.light].push(p);
    chart.setOption({ series: SERIES.map((l) => ({ data: data[l] })) });
    el.dataset.count = String(items.length);
    el.dataset.points = String(SERIES.filter((l) => shown.has(l)).reduce((s, l) => s + data[l].length, 0));
    el.dataset.clustered = String(clustered);
  }

  chart.on('legendselectchanged', (e) => {
    for (const l of SERIES) {
      if (e.selected[SERIES_NAMES[l]]) shown.add(l);
      else shown.delete(l);
    }
    draw();
  });

  let roamTimer = null;
  chart.on('georoam', () => {
    if (!clustered) return;
    clearTimeout(roamTimer);
    roamTimer = setTimeout(draw, 120);
  });
  chart.on('click', (p) => {
    const d = p.data;
    if (p.componentType !== 'series' || !d) return;
    if (d.count > 1) {
      const geo = chart.getOption().geo[0];
      chart.setOption({ geo: { center: d.value, zoom: Math.min((geo.zoom || 1) * 2, 16) } });
      draw();
    } else if (d.id && opts.onItem) {
      opts.onItem(d.id);
    }
  });

  const onResize = () => { chart.resize(); if (clustered) draw(); };
  window.addEventListener('resize', onResize);

  return {
    approximate: !b.uploaded,
    chart,
    setItems(list) {
      items = (list || []).filter((it) => Number.isFinite(it.lat) && Number.isFinite(it.lon));
      if (!fitted && opts.fit !== false && items.length && box) {
        /* the first time: frame the items (the district stays the frame when they spread over it) */
        fitted = true;
        const ib = bboxOf(items.map((it) => [it.lon, it.lat]));
        const w = Math.max(ib[2] - ib[0], 0.005), hgt = Math.max(ib[3] - ib[1], 0.005);
        /* at most 2×: the district's outline stays in view around the items */
        const zoom = Math.max(1, Math.min((box[2] - box[0]) / w, (box[3] - box[1]) / hgt, 2.6) / 1.3);
        if (zoom > 1.05) {
          chart.setOption({ geo: { center: [(ib[0] + ib[2]) / 2, (ib[1] + ib[3]) / 2], zoom } });
        }
      }
      draw();
    },
    zoom(factor) {
      const geo = chart.getOption().geo[0];
      chart.setOption({ geo: { zoom: Math.max(0.8, Math.min((geo.zoom || 1) * factor, 16)) } });
      if (clustered) draw();
    },
    reset() {
      chart.setOption({ geo: { zoom: 1, center: home } });
      if (clustered) draw();
    },
    resize: onResize,
    dispose() {
      clearTimeout(roamTimer);
      window.removeEventListener('resize', onResize);
      chart.dispose();
    },
  };
}
