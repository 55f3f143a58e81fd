// ui.js - small things every page uses: building DOM, the Chinese names of the
// API's codes, dates as 2026年11月28日, money in 万元, light badges, toasts and
// error messages placed next to the field they concern.

/* h('div', {class: 'x', onclick: f}, child, ...) -> Element. Strings become text nodes (never HTML). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/* Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const LEDGER_NAMES = {
  rectification: '督察巡视反馈问题整改',
  reform: '改革任务',
  project: '重点项目',
  policy: '政策库',
  eco_problem: '生态环境问题',
  risk_point: '安全风险点',
  hazard: '隐患排查治理',
  petition: '信访事项',
  livelihood: '民生实事',
  indicator: '经济运行指标',
};

export const STATUS_NAMES = {
  draft: '立项登记',
  assigned: '已交办',
  in_progress: '办理中',
  submitted: '申请销号',
  closed: '已销号',
  ongoing: '长期坚持',
  cancelled: '已撤销',
  registered: '已登记',
};

export const LIGHT_NAMES = { green: '绿灯', yellow: '黄灯', red: '红灯', done: '已销号', none: '无灯' };

export const ACTION_NAMES = {
  assign: '交办',
  accept: '签收',
  object: '异议退回',
  report: '报送进展',
  submit: '申请销号',
  verify: '验收销号',
  keep_ongoing: '转为长期坚持',
  reject: '退回整改',
  request_extension: '申请延期',
  approve_extension: '批准延期',
  deny_extension: '驳回延期',
  remind: '催办',
  supervise: '督办',
  reopen: '重新办理',
  cancel: '撤销',
  instruct: '批示',
  create: '立项',
  edit: '修改',
  attach: '上传佐证',
  series: '报送数据',
};

export const ROLE_NAMES = {
  admin: '系统管理员',
  auditor: '安全审计员',
  leader: '区领导',
  supervisor: '督查室',
  manager: '单位负责人',
  staff: '经办人',
  viewer: '查看',
};

/* "2026-11-28" or a timestamp -> "2026年11月28日"; "" for nothing. */
export function fmtDate(s) {
  if (!s) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  return m ? `${+m[1]}年${+m[2]}月${+m[3]}日` : s;
}

/* A timestamp -> "2026年11月28日 14:05". */
export function fmtTime(s) {
  if (!s) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(s);
  return m ? `${+m[1]}年${+m[2]}月${+m[3]}日 ${m[4]}:${m[5]}` : fmtDate(s);
}

/* An amount already in 万元 -> "16,900 万元" (up to two decimals). */
export function fmtWan(v) {
  if (v === undefined || v === null || v === '') return '';
  return Number(v).toLocaleString('zh-CN', { maximumFractionDigits: 2 }) + ' 万元';
}

/* A share 0..1 -> "87.5%"; "—" for null. */
export function fmtRate(r) {
  return r === null || r === undefined ? '—' : (Math.round(r * 1000) / 10).toFixed(1) + '%';
}

/* A coloured light badge with its Chinese name (colour is never the only signal). */
export function lightBadge(light) {
  return h('span', { class: `light light-${light}`, title: LIGHT_NAMES[light] || light },
    LIGHT_NAMES[light] || light);
}

export function statusBadge(status) {
  return h('span', { class: `status status-${status}` }, STATUS_NAMES[status] || status);
}

/* A short message at the bottom of the screen; kind: 'ok' | 'error'. */
export function toast(text, kind = 'ok') {
  const box = document.getElementById('toasts');
  const t = h('div', { class: `toast toast-${kind}` }, text);
  box.append(t);
  setTimeout(() => t.remove(), kind === 'error' ? 8000 : 3500);
}

/*
 * Shows an ApiError on a form: next to the input whose name is err.field when
 * there is one (focused), else at the form's top. Clears earlier messages.
 * What the user typed is left as it is.
 */
export function showError(form, err) {
  clearErrors(form);
  const text = err.text || String(err.message || err);
  const input = err.field ? form.querySelector(`[name="${CSS.escape(err.field)}"]`) : null;
  const msg = h('p', { class: 'field-error', role: 'alert' }, text);
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    const holder = input.closest('label, .field');
    if (holder) holder.append(msg);
    else input.after(msg);
    input.focus();
  } else {
    form.prepend(msg);
  }
}

export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((e) => e.remove());
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
}

/* A labelled input: field('标题', h('input', {name: 'title'})). */
export function field(label, input, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'label' }, label), input,
    hint ? h('small', { class: 'hint' }, hint) : null);
}

/* <select> of [value, label] pairs with the current value selected. */
export function select(name, options, value, attrs = {}) {
  return h('select', { name, ...attrs },
    options.map(([v, l]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, l)));
}

/* Debounces fn by ms. */
export function debounce(fn, ms) {
  let t = null;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}
