// admin_map.js - 地图边界 (#/admin/map, role admin): which outline the war map
// draws under its points — the built-in approximate one of 城东区, or the
// district's own GeoJSON that the administrator uploads here (PUT
// /map/boundary, checked by the server, audited) — and the way back to the
// built-in one (DELETE). No tile server and no internet are involved.

import { api } from '../api.js';
import { h, fill, toast } from '../ui.js';
import { adminHead } from '../tools/admin_tabs.js';
import { formError, clearErrors } from '../tools/form_error.js';

/* What the server draws now: {source: 'uploaded'|'builtin', features, name}. */
async function current() {
  const res = await fetch('/api/v1/map/boundary', { credentials: 'same-origin' });
  if (!res.ok) return { source: 'unknown', features: 0, name: '' };
  const geo = await res.json().catch(() => null);
  const features = geo?.type === 'FeatureCollection' ? geo.features.length : geo ? 1 : 0;
  const first = geo?.type === 'FeatureCollection' ? geo.features[0] : geo;
  return {
    source: res.headers.get('X-Boundary-Source') || 'unknown',
    features,
    name: first?.properties?.name || '',
  };
}

export default {
  name: 'admin-map',
  path: /^#\/admin\/map$/,
  title: '地图边界',
  roles: ['admin'],

  async render(view) {
    const status = h('section', { class: 'card' });
    const input = h('input', { type: 'file', name: 'boundary', accept: '.geojson,.json,application/geo+json,application/json' });
    const form = h('form', { class: 'card', novalidate: true },
      h('h2', {}, '上传本区边界'),
      h('p', { class: 'hint' },
        '选择本区的 GeoJSON 文件（FeatureCollection，面要素 Polygon / MultiPolygon，坐标为经纬度，最大 8 MB）。',
        '上传后挂图作战和大屏的地图即以此为底图；各街道、乡镇可作为单独的要素，name 属性显示为地名。'),
      h('label', { class: 'field' }, h('span', { class: 'label' }, 'GeoJSON 文件'), input),
      h('button', { type: 'submit', class: 'primary' }, '上传并启用'));

    async function show() {
      const c = await current();
      fill(status,
        h('h2', {}, '当前底图'),
        h('p', {}, c.source === 'uploaded' ? '本区上传的边界' : '内置示意边界（城东区，近似，非精确界线）'),
        h('p', { class: 'hint' }, `${c.features} 个区域${c.name ? '，首个为“' + c.name + '”' : ''}`),
        c.source === 'uploaded'
          ? h('button', { type: 'button', onclick: restore }, '恢复内置示意边界')
          : null);
      status.dataset.source = c.source;
    }

    async function restore() {
      try {
        await api.delete('/map/boundary');
        toast('已恢复内置示意边界');
        await show();
      } catch (err) {
        toast(err.text || String(err), 'error');
      }
    }

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      const file = input.files[0];
      if (!file) return formError(form, { field: 'boundary', text: '请选择 GeoJSON 文件' });
      let geo;
      try {
        geo = JSON.parse(await file.text());
      } catch (err) {
        return formError(form, { field: 'boundary', text: '文件不是有效的 JSON，请检查后重新选择' });
      }
      try {
        await api.put('/map/boundary', geo);
        toast('已启用新的地图边界');
        form.reset();
        await show();
      } catch (err) {
        const text = err.code === 'validation_failed'
          ? `边界文件不符合要求（${err.field || '格式'}）：须为经纬度坐标的面要素，且位于中国境内`
          : err.code === 'too_large' ? '文件超过 8 MB' : err.text;
        formError(form, { field: 'boundary', text });
      }
      return undefined;
    });

    fill(view, adminHead('#/admin/map', '地图边界', '挂图作战地图的底图：不依赖互联网和瓦片服务。'),
      h('div', { class: 'grid-2' }, status, form));
    await show();
  },
};
