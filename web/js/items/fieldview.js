// items/fieldview.js - a ledger's kind-specific fields shown under their
// Chinese labels (GET /ledgers gives label, type and whether a field is
// computed): money in 万元, dates as 2026年11月28日, lists, milestones and
// approval checklists as small tables, and the computed verdicts (risk level
// and colour, water class, compliance, pace) as coloured badges with words.

import { h, fmtDate, fmtWan, lightBadge } from '../ui.js';

export const RISK_COLOR_NAMES = { red: '红色', orange: '橙色', yellow: '黄色', blue: '蓝色' };

/* A badge in one of the four risk colours, saying its name. */
export function riskBadge(color, text) {
  return h('span', { class: `badge risk-${color || 'none'}` }, text || RISK_COLOR_NAMES[color] || color);
}

/* A badge for a water class (Ⅰ类 … 劣Ⅴ类); worse than the target class shows red. */
export function waterBadge(cls, target) {
  const rank = (c) => ['Ⅰ类', 'Ⅱ类', 'Ⅲ类', 'Ⅳ类', 'Ⅴ类', '劣Ⅴ类'].indexOf(c);
  const bad = target && rank(cls) > rank(target);
  return h('span', { class: `badge ${bad ? 'badge-bad' : 'badge-good'}` }, cls);
}

function empty() {
  return h('span', { class: 'muted' }, '—');
}

function milestoneTable(list) {
  return h('table', { class: 'mini' },
    h('thead', {}, h('tr', {}, h('th', {}, '节点'), h('th', {}, '计划完成'), h('th', {}, '状态'))),
    h('tbody', {}, list.map((m) => h('tr', {}, h('td', {}, m.name || ''), h('td', {}, fmtDate(m.due)),
      h('td', {}, m.done ? h('span', { class: 'badge badge-good' }, '已完成')
        : h('span', { class: 'badge badge-plain' }, '未完成'))))));
}

function checklistTable(list) {
  return h('table', { class: 'mini' },
    h('thead', {}, h('tr', {}, h('th', {}, '手续'), h('th', {}, '状态'), h('th', {}, '日期'), h('th', {}, '文号'))),
    h('tbody', {}, list.map((a) => h('tr', {}, h('td', {}, a.name || ''), h('td', {}, a.status || ''),
      h('td', {}, fmtDate(a.date)), h('td', {}, a.doc_no || '')))));
}

/*
 * The display of one field's value. ctx: {fields (the item's whole fields, for
 * pairs like risk_level + risk_color)}.
 */
export function fieldValue(f, v, ctx = {}) {
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) return empty();
  const all = ctx.fields || {};
  switch (f.key) {
    case 'risk_level': return riskBadge(all.risk_color, v);
    case 'risk_color': return riskBadge(v);
    case 'water_class': return waterBadge(v, all.target_class);
    case 'complies': return h('span', { class: `badge ${v ? 'badge-good' : 'badge-bad'}` }, v ? '达标' : '未达标');
    case 'pace_light': return lightBadge(v);
    case 'risk_point_id': return h('a', { href: `#/items/${v}` }, `风险点 #${v}`);
    case 'tags': return h('span', { class: 'tags' }, v.map((t) => h('span', { class: 'badge badge-plain' }, t)));
    default: break;
  }
  switch (f.type) {
    case 'money': return h('span', { class: 'num' }, fmtWan(v));
    case 'date': return fmtDate(v);
    case 'bool': return v ? '是' : '否';
    case 'long_text': return h('div', { class: 'prose' }, String(v));
    case 'list': return h('ul', { class: 'plain-list' }, v.map((x) => h('li', {}, String(x))));
    case 'milestones': return milestoneTable(v);
    case 'checklist': return checklistTable(v);
    case 'decimal':
    case 'integer': return h('span', { class: 'num' }, String(v));
    default:
      return Array.isArray(v) ? v.join('、') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

/* A field's value as one line of plain text (timeline changes). */
export function fieldText(f, v) {
  if (v === undefined || v === null || v === '') return '（空）';
  if (f?.key === 'risk_color') return RISK_COLOR_NAMES[v] || v;
  if (f?.key === 'pace_light') return { green: '绿灯', yellow: '黄灯', red: '红灯' }[v] || v;
  switch (f?.type) {
    case 'money': return fmtWan(v);
    case 'date': return fmtDate(v);
    case 'bool': return v ? '是' : '否';
    case 'milestones': return v.map((m) => `${m.name}${m.done ? '（已完成）' : ''}`).join('；');
    case 'checklist': return v.map((a) => `${a.name}${a.status ? '（' + a.status + '）' : ''}`).join('；');
    default:
      if (Array.isArray(v)) return v.join('、');
      if (typeof v === 'boolean') return v ? '是' : '否';
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

/*
 * The <dl> of an item's kind-specific fields in schema order: every field that
 * has a value, and the required ones even when empty. Wide fields (long text,
 * lists, tables) take a full row.
 */
export function fieldList(ledger, fields) {
  const rows = [];
  for (const f of ledger.fields) {
    const v = fields[f.key];
    const has = !(v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0));
    if (!has && !f.required) continue;
    const wide = ['long_text', 'list', 'milestones', 'checklist'].includes(f.type) && f.key !== 'tags';
    rows.push(h('div', { class: `kv${wide ? ' kv-wide' : ''}${f.computed ? ' kv-computed' : ''}`, dataset: { key: f.key } },
      h('dt', {}, f.label, f.computed ? h('small', { class: 'muted', title: '由系统按规则计算' }, ' 自动') : null),
      h('dd', {}, fieldValue(f, v, { fields }))));
  }
  return rows.length ? h('dl', { class: 'kvs' }, rows) : null;
}
