// items/timeline.js - the closed loop of one item as a timeline (GET
// /items/{id}/events, oldest first): who acted (name and unit), when, the
// action in Chinese, the comment, and what changed in words ("进度 40% → 80%",
// "状态 已交办 → 办理中"), with uploaded evidence linked.

import {
  h, fmtDate, fmtTime, ACTION_NAMES, STATUS_NAMES, LIGHT_NAMES,
} from '../ui.js';
import { unitName } from './ref.js';
import { fieldText } from './fieldview.js';

const SUPERVISED_NAMES = ['未督办', '督查室督办', '领导督办'];
const SKIP = new Set(['assigned_at', 'closed_at', 'updated_at', 'created_at', 'version', 'original_deadline']);
/* The order changes are listed in: the loop's own first, the light last. */
const ORDER = ['status', 'progress', 'reported_progress', 'deadline', 'lead_unit_id', 'co_unit_ids', 'extension',
  'extension_count', 'supervised', 'remind_count', 'reopen_count', 'report_every_days', 'on_time', 'title',
  'description', 'source', 'leader', 'location', 'links', 'fields', 'light'];
const CORE = {
  title: '标题', description: '事项描述', source: '来源', leader: '责任领导',
};

/* Tone of the dot: the loop's milestones stand out. */
function tone(action) {
  if (['verify'].includes(action)) return 'done';
  if (['reject', 'object', 'deny_extension', 'cancel', 'reopen'].includes(action)) return 'warn';
  if (['remind', 'supervise', 'instruct'].includes(action)) return 'press';
  if (['assign', 'accept', 'submit', 'create'].includes(action)) return 'step';
  return 'plain';
}

function arrow(a, b) {
  return [h('span', { class: 'was' }, a), ' → ', h('span', { class: 'now' }, b)];
}

function unitsText(ref, ids) {
  return (ids || []).length ? ids.map((id) => unitName(ref, id)).join('、') : '无';
}

/* The readable changes of one event: an array of <li>. */
function changes(ev, ctx) {
  const b = ev.before || {};
  const a = ev.after || {};
  const out = [];
  const li = (label, ...rest) => out.push(h('li', {}, h('span', { class: 'k' }, label), '：', ...rest));
  if (ev.action === 'create') {
    const bits = [];
    if (a.lead_unit_id) bits.push(`牵头单位 ${unitName(ctx.units, a.lead_unit_id)}`);
    if (a.deadline) bits.push(`办结时限 ${fmtDate(a.deadline)}`);
    if (bits.length) out.push(h('li', {}, bits.join('，')));
    return out;
  }
  if (a.attachment) {
    const att = a.attachment;
    out.push(h('li', {}, h('span', { class: 'k' }, '佐证材料'), '：',
      h('a', { href: `/api/v1/attachments/${att.id}?inline=1`, target: '_blank', rel: 'noopener' }, att.name)));
  }
  if (ev.action === 'series') {
    // a reported period: only the verdict it led to
    const fa = a.fields || {};
    if (fa.pace_light) li('进度预警', LIGHT_NAMES[fa.pace_light] || fa.pace_light, fa.pace_reason ? `，${fa.pace_reason}` : '');
    if (fa.water_class) li('水质类别', fa.water_class, fa.complies === false ? '（未达标）' : fa.complies ? '（达标）' : '');
    if (a.light && b.light !== a.light) li('亮灯', ...arrow(LIGHT_NAMES[b.light] || b.light, LIGHT_NAMES[a.light] || a.light));
    return out;
  }
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .sort((x, y) => (ORDER.indexOf(x) + 1 || 99) - (ORDER.indexOf(y) + 1 || 99));
  for (const k of keys) {
    if (SKIP.has(k) || k === 'attachment') continue;
    const x = b[k];
    const y = a[k];
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    switch (k) {
      case 'status': li('状态', ...arrow(STATUS_NAMES[x] || x, STATUS_NAMES[y] || y)); break;
      case 'light': li('亮灯', ...arrow(LIGHT_NAMES[x] || x, LIGHT_NAMES[y] || y)); break;
      case 'progress': li('进度', ...arrow(`${x ?? 0}%`, `${y}%`)); break;
      case 'reported_progress':
        if (!('progress' in a)) li('报送进度', `${y}%`, '（配合单位报送，不改变事项进度）');
        break;
      case 'deadline': li('办结时限', ...arrow(x ? fmtDate(x) : '未定', y ? fmtDate(y) : '未定')); break;
      case 'lead_unit_id': li('牵头单位', ...arrow(x ? unitName(ctx.units, x) : '未定', y ? unitName(ctx.units, y) : '未定')); break;
      case 'co_unit_ids': li('配合单位', ...arrow(unitsText(ctx.units, x), unitsText(ctx.units, y))); break;
      case 'supervised': li('督办', ...arrow(SUPERVISED_NAMES[x ?? 0], SUPERVISED_NAMES[y ?? 0])); break;
      case 'extension':
        if (y) li('申请延期至', h('strong', {}, fmtDate(y.deadline)));
        else if (x) li('延期申请', `（申请延至${fmtDate(x.deadline)}）已处理`);
        break;
      case 'extension_count': li('延期次数', ...arrow(String(x ?? 0), String(y))); break;
      case 'remind_count': li('催办', `第 ${y} 次`); break;
      case 'reopen_count': li('问题反弹', `第 ${y} 次`); break;
      case 'report_every_days': li('报告周期', y ? `每 ${y} 天` : '无'); break;
      case 'on_time': if (y !== null && y !== undefined) li('按期销号', y ? '是' : '否（逾期）'); break;
      case 'links': li('关联事项', (y || []).length ? (y || []).map((id) => h('a', { href: `#/items/${id}` }, `#${id}`)).reduce((acc, el, i) => (i ? [...acc, '、', el] : [el]), []) : '无'); break;
      case 'location': li('位置', y ? (y.address || `${y.lat}, ${y.lon}`) : '无'); break;
      case 'fields': {
        const fx = x || {};
        const fy = y || {};
        for (const fk of new Set([...Object.keys(fx), ...Object.keys(fy)])) {
          if (JSON.stringify(fx[fk]) === JSON.stringify(fy[fk])) continue;
          const f = ctx.ledger?.fieldsByKey[fk];
          li(f?.label || fk, ...arrow(fieldText(f, fx[fk]), fieldText(f, fy[fk])));
        }
        break;
      }
      default:
        if (CORE[k]) li(CORE[k], ...arrow(x || '（空）', y || '（空）'));
    }
  }
  return out;
}

/*
 * The <ol> of the item's events. ctx: {units, ledger, users (id -> display
 * name, for nothing but events' own actors)}.
 */
export function timeline(events, ctx) {
  if (!events.length) return h('p', { class: 'muted' }, '暂无办理记录。');
  return h('ol', { class: 'timeline' }, events.map((ev) => {
    const who = ev.actor || {};
    const list = changes(ev, ctx);
    const name = ev.action === 'create' ? '立项' : ACTION_NAMES[ev.action] || ev.action;
    return h('li', { class: `ev ev-${tone(ev.action)}`, dataset: { action: ev.action, seq: ev.seq } },
      h('div', { class: 'ev-dot', 'aria-hidden': 'true' }),
      h('div', { class: 'ev-body' },
        h('div', { class: 'ev-head' },
          h('strong', { class: 'ev-action' }, name),
          h('span', { class: 'ev-who' }, who.display_name || who.username || '',
            who.unit_id ? h('span', { class: 'ev-unit' }, `（${unitName(ctx.units, who.unit_id)}）`) : null),
          h('time', { class: 'ev-at', datetime: ev.at }, fmtTime(ev.at))),
        ev.comment ? h('p', { class: 'ev-comment' }, ev.comment) : null,
        list.length ? h('ul', { class: 'ev-changes' }, list) : null));
  }));
}
