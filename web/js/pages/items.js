// pages/items.js - 台账: the items the user may see, filtered, sorted and paged.
// The query of GET /api/v1/items lives in the hash after "?" (e.g.
// #/items?ledger=hazard&light=red&unit=12&status=in_progress,assigned), so any
// page can link to exactly the items behind a number; every filter, sort and
// page change here rewrites that hash and asks the API again. With one ledger
// chosen, its enum and yes/no fields become extra filters (f.<key>=value).

import { api } from '../api.js';
import {
  h, fill, fmtDate, lightBadge, statusBadge, toast, debounce,
  LEDGER_NAMES, STATUS_NAMES, LIGHT_NAMES,
} from '../ui.js';
import { ledgers, units, unitName, unitSelect, hasApiPath, ITEM_ROLES } from '../items/ref.js';
import { importButton, IMPORT_PATH } from '../items/import.js';

const EXPORT_PATH = '/api/v1/ledgers/{ledger}/export.xlsx';
const PAGE_SIZES = [25, 50, 100];
const STATUSES = ['draft', 'assigned', 'in_progress', 'submitted', 'ongoing', 'closed', 'cancelled', 'registered'];
const LIGHTS = ['red', 'yellow', 'green', 'done', 'none'];
/* Sortable columns: the key the API sorts by, and the direction of a first click. */
const SORTS = { code: 'asc', deadline: 'asc', light: 'desc', progress: 'desc', updated_at: 'desc' };
/* Short ledger names for the table's narrow column (the full name is its title). */
const SHORT = {
  rectification: '巡视巡察整改', reform: '改革任务', project: '重点项目', policy: '政策库', eco_problem: '生态环境问题',
  risk_point: '安全风险点', hazard: '隐患治理', petition: '信访事项', livelihood: '民生实事', indicator: '经济指标',
};

/* "a=1&status=x,y&q=湟水": commas and Chinese kept readable, everything else encoded. */
export function toQuery(params) {
  const parts = [];
  for (const [k, v] of params) {
    if (v === '' || v === null || v === undefined) continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%2C/gi, ',')}`);
  }
  return parts.join('&');
}

/* The hash of the list with these parameters. */
export function listHash(params) {
  const q = toQuery(params instanceof URLSearchParams ? params : new URLSearchParams(params));
  return q ? `#/items?${q}` : '#/items';
}

let state = null;
let renders = 0; // bumped by every render and dispose: a render that was left stops at its next await

function paramsFromHash() {
  const i = location.hash.indexOf('?');
  return new URLSearchParams(i >= 0 ? location.hash.slice(i + 1) : '');
}

/* Rewrites the hash without a re-render (push: a new history entry), then reloads the rows. */
function update(mutate, { push = true, keepPage = false, render = true } = {}) {
  const p = state.params;
  mutate(p);
  if (!keepPage) p.delete('page');
  const hash = listHash(p);
  if (hash !== location.hash) {
    if (push) history.pushState(null, '', hash);
    else history.replaceState(null, '', hash);
  }
  if (render) renderFilters();
  load();
}

function setOrDelete(p, key, value) {
  if (value === '' || value === null || value === undefined) p.delete(key);
  else p.set(key, value);
}

function listOf(p, key) {
  return (p.get(key) || '').split(',').filter(Boolean);
}

/* ---- filters */

/* An open status menu closes on a click outside it, or on Escape (focus back on its summary). */
function closeMenus(e) {
  for (const d of document.querySelectorAll('details.multi[open]')) {
    if (e.type === 'keydown' && e.key === 'Escape') {
      d.open = false;
      d.querySelector('summary').focus();
    } else if (e.type === 'click' && !d.contains(e.target)) {
      d.open = false;
    }
  }
}

function multiCheck(key, label, values, names) {
  const chosen = listOf(state.params, key);
  const summary = chosen.length ? chosen.map((v) => names[v] || v).join('、') : '全部';
  const details = h('details', { class: 'multi' },
    h('summary', { 'aria-label': `${label}：${summary}` }, h('span', { class: 'multi-label' }, label), ' ',
      h('span', { class: 'multi-value' }, summary)),
    h('div', { class: 'multi-menu', role: 'group', 'aria-label': label },
      values.map((v) => h('label', { class: 'check' },
        h('input', {
          type: 'checkbox', name: key, value: v, checked: chosen.includes(v),
          onchange: () => {
            const now = [...details.querySelectorAll('input:checked')].map((x) => x.value);
            state.reopen = key; // the menu stays open while choosing
            update((p) => setOrDelete(p, key, now.join(',')));
          },
        }), names[v] || v))));
  if (state.reopen === key) {
    details.open = true;
    state.reopen = null;
  }
  return h('div', { class: 'field' }, h('span', { class: 'label' }, label), details);
}

function lightChips() {
  const chosen = listOf(state.params, 'light');
  return h('div', { class: 'field' }, h('span', { class: 'label', id: 'lights-label' }, '亮灯'),
    h('div', { class: 'chips', role: 'group', 'aria-labelledby': 'lights-label' }, LIGHTS.map((l) =>
      h('button', {
        type: 'button', class: `chip chip-${l}`, 'aria-pressed': chosen.includes(l) ? 'true' : 'false',
        dataset: { light: l },
        onclick: () => {
          const now = chosen.includes(l) ? chosen.filter((x) => x !== l) : [...chosen, l];
          update((p) => setOrDelete(p, 'light', LIGHTS.filter((x) => now.includes(x)).join(',')));
        },
      }, LIGHT_NAMES[l]))));
}

function selectField(label, name, options, value, onchange) {
  return h('label', { class: 'field' }, h('span', { class: 'label' }, label),
    h('select', { name, onchange: (e) => onchange(e.target.value) },
      options.map(([v, l]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, l))));
}

function ledgerFieldFilters(ledger) {
  const fields = ledger.fields.filter((f) => f.type === 'enum' || f.type === 'bool');
  if (!fields.length) return null;
  return h('div', { class: 'toolbar toolbar-sub', role: 'group', 'aria-label': `${ledger.name}字段筛选` },
    fields.map((f) => {
      const key = `f.${f.key}`;
      const options = f.type === 'bool' ? [['', '不限'], ['true', '是'], ['false', '否']]
        : [['', '不限'], ...f.key === 'risk_color'
          ? [['red', '红色'], ['orange', '橙色'], ['yellow', '黄色'], ['blue', '蓝色']]
          : (f.values || []).map((v) => [v, v])];
      return selectField(f.label, key, options, state.params.get(key),
        (v) => update((p) => setOrDelete(p, key, v)));
    }));
}

const RECEIVED = { object: '异议退回', remind: '催办', supervise: '督办', extension: '批准延期' };
const CONTROLLED = new Set(['ledger', 'status', 'light', 'unit', 'due_after', 'due_before', 'supervised', 'q',
  'page', 'per_page', 'sort']);

/*
 * Conditions of the hash that no control above shows (a drill-down from the war
 * map or the scorecard: lead=, received=…), each said in words with a button
 * that removes it.
 */
function otherConditions(ledger) {
  const p = state.params;
  const shown = new Set(ledger ? ledger.fields.filter((f) => f.type === 'enum' || f.type === 'bool').map((f) => `f.${f.key}`) : []);
  const chips = [];
  for (const [k, v] of p) {
    if (CONTROLLED.has(k) || shown.has(k)) continue;
    let text;
    if (k === 'lead') text = `牵头单位：${unitName(state.units, Number(v))}`;
    else if (k === 'received') text = `收到过${RECEIVED[v] || v}${p.get('received_by') ? `（${unitName(state.units, Number(p.get('received_by')))}）` : ''}`;
    else if (k === 'received_by') continue;
    else if (k.startsWith('f.')) text = `${ledger?.fieldsByKey[k.slice(2)]?.label || k.slice(2)}：${v}`;
    else text = `${k}=${v}`;
    chips.push(h('span', { class: 'cond' }, text, h('button', {
      type: 'button', class: 'link', 'aria-label': `去掉条件：${text}`, title: '去掉此条件',
      onclick: () => update((q) => { q.delete(k); if (k === 'received') q.delete('received_by'); }),
    }, '×')));
  }
  return chips.length ? h('div', { class: 'conds' }, h('span', { class: 'label' }, '其他条件'), chips) : null;
}

function renderFilters() {
  const p = state.params;
  const ledgerKey = p.get('ledger') || '';
  const ledger = state.ledgers.byKey[ledgerKey];
  // the search box is never rebuilt while typed in (that would break a Chinese input method's composition)
  const search = h('input', {
    type: 'search', name: 'q', value: p.get('q') || '', placeholder: '编号、标题或描述', autocomplete: 'off',
  });
  const searchNow = debounce(() => update((q) => setOrDelete(q, 'q', search.value.trim()), { push: false, render: false }), 350);
  search.addEventListener('input', (e) => { if (!e.isComposing) searchNow(); });
  search.addEventListener('compositionend', searchNow);
  const anyFilter = [...p.keys()].some((k) => !['page', 'per_page', 'sort'].includes(k));
  const bar = h('form', { class: 'filters', role: 'search', 'aria-label': '筛选事项', onsubmit: (e) => e.preventDefault() },
    h('div', { class: 'toolbar' },
      selectField('台账', 'ledger', [['', '全部台账'], ...state.ledgers.list.map((l) => [l.key, l.name])],
        ledgerKey, (v) => update((q) => {
          setOrDelete(q, 'ledger', v);
          for (const k of [...q.keys()]) if (k.startsWith('f.')) q.delete(k);
        })),
      multiCheck('status', '状态', STATUSES, STATUS_NAMES),
      lightChips(),
      h('label', { class: 'field' }, h('span', { class: 'label' }, '单位'),
        (() => {
          const s = unitSelect('unit', state.units, p.get('unit'), { empty: '全部单位' });
          s.addEventListener('change', () => update((q) => setOrDelete(q, 'unit', s.value)));
          return s;
        })()),
      h('div', { class: 'field' }, h('span', { class: 'label', id: 'due-label' }, '办结时限'),
        h('div', { class: 'range', role: 'group', 'aria-labelledby': 'due-label' },
          h('input', {
            type: 'date', name: 'due_after', value: p.get('due_after') || '', 'aria-label': '时限不早于',
            onchange: (e) => update((q) => setOrDelete(q, 'due_after', e.target.value)),
          }),
          h('span', { 'aria-hidden': 'true' }, '至'),
          h('input', {
            type: 'date', name: 'due_before', value: p.get('due_before') || '', 'aria-label': '时限不晚于',
            onchange: (e) => update((q) => setOrDelete(q, 'due_before', e.target.value)),
          }))),
      selectField('督办', 'supervised', [['', '不限'], ['1', '督办事项'], ['2', '领导督办']], p.get('supervised'),
        (v) => update((q) => setOrDelete(q, 'supervised', v))),
      h('label', { class: 'field field-grow' }, h('span', { class: 'label' }, '搜索'), search),
      anyFilter ? h('button', {
        type: 'button', class: 'link clear', onclick: () => update((q) => {
          for (const k of [...q.keys()]) if (!['per_page', 'sort'].includes(k)) q.delete(k);
        }),
      }, '清除筛选') : null),
    ledger ? ledgerFieldFilters(ledger) : null,
    otherConditions(ledger));
  // the control that had the focus gets it back in the rebuilt bar
  const was = document.activeElement;
  const again = state.filtersBox.contains(was) ? focusKey(was) : null;
  fill(state.filtersBox, bar);
  renderHead();
  if (again) state.filtersBox.querySelector(again)?.focus();
}

/* A selector finding the same control in a rebuilt filter bar. */
function focusKey(el) {
  if (el.dataset.light) return `[data-light="${el.dataset.light}"]`;
  if (el.classList.contains('clear')) return '[name=ledger]';
  if (el.tagName === 'SUMMARY') return `details.multi summary`;
  if (!el.name) return null;
  return el.type === 'checkbox' ? `[name="${CSS.escape(el.name)}"][value="${CSS.escape(el.value)}"]` : `[name="${CSS.escape(el.name)}"]`;
}

/* ---- the title row: count, export, create */

/* The export of the list as it is filtered now (the ledger is in the path; paging is not). */
function exportHref(ledgerKey) {
  const q = new URLSearchParams(state.params);
  for (const k of ['ledger', 'page', 'per_page']) q.delete(k);
  const rest = q.toString();
  return `/api/v1/ledgers/${encodeURIComponent(ledgerKey)}/export.xlsx${rest ? '?' + rest : ''}`;
}

async function renderHead() {
  const ledgerKey = state.params.get('ledger');
  fill(state.heading, ledgerKey && LEDGER_NAMES[ledgerKey] ? `台账 · ${LEDGER_NAMES[ledgerKey]}` : '台账');
  const s = state;
  const seq = ++s.headSeq;
  const canExport = ledgerKey && await hasApiPath(EXPORT_PATH);
  // the office imports ledgers; units import the progress they filled in offline
  const canImport = ledgerKey && state.ctx.hasRole('supervisor', 'manager', 'staff') &&
    await hasApiPath(IMPORT_PATH);
  if (state !== s || seq !== s.headSeq) return;
  fill(state.tools,
    canImport ? importButton(ledgerKey, LEDGER_NAMES[ledgerKey] || ledgerKey, () => load()) : null,
    canExport ? h('a', {
      class: 'button', href: exportHref(ledgerKey), download: '',
      dataset: { export: ledgerKey },
      // the workbook holds what the list shows: its filters and order, every page
      onclick(e) { e.currentTarget.href = exportHref(ledgerKey); },
    }, '导出 Excel') : null,
    state.ctx.hasRole('supervisor') ? h('a', {
      class: 'button primary', href: `#/items/new${ledgerKey ? '?ledger=' + encodeURIComponent(ledgerKey) : ''}`,
    }, '新建事项') : null);
}

/* ---- the table */

function sortHeader(key, label, cls) {
  const cur = state.params.get('sort') || '';
  const desc = cur === '-' + key;
  const active = cur === key || desc;
  const next = active ? (desc ? key : '-' + key) : (SORTS[key] === 'desc' ? '-' + key : key);
  return h('th', { class: cls, 'aria-sort': active ? (desc ? 'descending' : 'ascending') : null, scope: 'col' },
    h('button', {
      type: 'button', class: `sort${active ? ' sorted' : ''}`, dataset: { sort: key },
      title: `按${label}排序`,
      onclick: () => {
        state.focusSort = key;
        update((p) => p.set('sort', next));
      },
    }, label, h('span', { class: 'arrow', 'aria-hidden': 'true' }, active ? (desc ? '▼' : '▲') : '↕')));
}

function progressBar(v) {
  return h('div', { class: 'progress', title: `进度 ${v}%` },
    h('div', { class: 'progress-track' }, h('div', { class: 'progress-fill', style: `width:${Math.max(0, Math.min(100, v))}%` })),
    h('span', { class: 'progress-num' }, `${v}%`));
}

function row(it) {
  const href = `#/items/${it.id}`;
  return h('tr', { dataset: { id: it.id }, onclick: (e) => {
    if (e.target.closest('a, button') || window.getSelection()?.toString()) return;
    location.hash = href;
  } },
  h('td', { class: 'code' }, it.code),
  h('td', { class: 'title' }, h('a', { href }, it.title),
    it.supervised ? h('span', { class: 'badge badge-sup', title: it.supervised === 2 ? '领导督办' : '督查室督办' },
      it.supervised === 2 ? '领导督办' : '督办') : null),
  h('td', { class: 'ledger', title: LEDGER_NAMES[it.ledger] || it.ledger }, SHORT[it.ledger] || LEDGER_NAMES[it.ledger] || it.ledger),
  h('td', { class: 'unit' }, unitName(state.units, it.lead_unit_id) || h('span', { class: 'muted' }, '—')),
  h('td', { class: 'date deadline' }, it.deadline ? fmtDate(it.deadline) : h('span', { class: 'muted' }, '—')),
  h('td', {}, statusBadge(it.status)),
  h('td', {}, lightBadge(it.light)),
  h('td', { class: 'prog' }, progressBar(it.progress)),
  h('td', { class: 'date' }, fmtDate(it.updated_at)));
}

function pager(total, page, perPage) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const go = (n) => update((p) => (n > 1 ? p.set('page', n) : p.delete('page')), { keepPage: true });
  const nums = [];
  const from = Math.max(1, page - 2);
  const to = Math.min(pages, page + 2);
  if (from > 1) nums.push(1, from > 2 ? '…' : null);
  for (let i = from; i <= to; i++) nums.push(i);
  if (to < pages) nums.push(to < pages - 1 ? '…' : null, pages);
  return h('nav', { class: 'pager', 'aria-label': '分页' },
    h('span', { class: 'total' }, `共 ${total} 项`),
    h('button', { type: 'button', disabled: page <= 1, onclick: () => go(page - 1) }, '上一页'),
    nums.filter((n) => n !== null).map((n) => (n === '…' ? h('span', { class: 'gap' }, '…')
      : h('button', {
        type: 'button', class: n === page ? 'current' : null, 'aria-current': n === page ? 'page' : null,
        'aria-label': `第 ${n} 页`, onclick: () => go(n),
      }, String(n)))),
    h('button', { type: 'button', disabled: page >= pages, onclick: () => go(page + 1) }, '下一页'),
    h('label', { class: 'per-page' }, '每页',
      h('select', {
        name: 'per_page', onchange: (e) => update((p) => (e.target.value === '25' ? p.delete('per_page') : p.set('per_page', e.target.value))),
      }, PAGE_SIZES.map((n) => h('option', { value: n, selected: n === perPage }, `${n} 项`))),
    ));
}

async function load() {
  const s = state;
  const seq = ++s.seq;
  const query = toQuery(s.params);
  s.table.setAttribute('aria-busy', 'true');
  let res;
  try {
    res = await api.get('/items' + (query ? '?' + query : ''));
  } catch (e) {
    if (state !== s || seq !== s.seq) return;
    state.table.removeAttribute('aria-busy');
    const bad = e.field ? `（${e.field}）` : '';
    fill(state.table, h('div', { class: 'empty', role: 'alert' }, h('p', {}, e.code === 'validation_failed'
      ? `筛选条件有误${bad}，请修改筛选条件或查看全部事项。` : e.text),
    h('a', { href: '#/items' }, '查看全部事项')));
    return;
  }
  if (state !== s || seq !== s.seq) return;
  state.rows = res.items;
  state.table.removeAttribute('aria-busy');
  const table = h('table', { class: 'data items-table' },
    h('caption', { class: 'sr-only' }, '事项列表，点击列标题排序'),
    h('thead', {}, h('tr', {},
      sortHeader('code', '编号', 'code'), h('th', { scope: 'col', class: 'plain' }, '事项'), h('th', { scope: 'col', class: 'plain' }, '台账'),
      h('th', { scope: 'col', class: 'plain' }, '牵头单位'), sortHeader('deadline', '办结时限', 'date'),
      h('th', { scope: 'col', class: 'plain' }, '状态'), sortHeader('light', '亮灯'), sortHeader('progress', '进度', 'prog'),
      sortHeader('updated_at', '最近更新', 'date'))),
    h('tbody', {}, res.items.map(row)));
  fill(state.table,
    res.items.length ? h('div', { class: 'table-wrap' }, table)
      : h('div', { class: 'empty' }, h('p', {}, '没有符合条件的事项。'),
        [...state.params.keys()].length ? h('a', { href: '#/items' }, '清除筛选，查看全部事项') : null),
    res.total > 0 ? pager(res.total, res.page, res.per_page) : null);
  state.count.textContent = `共 ${res.total} 项`;
  if (state.focusSort) {
    state.table.querySelector(`button[data-sort="${state.focusSort}"]`)?.focus();
    state.focusSort = null;
  }
}

export default {
  name: 'items',
  path: /^#\/items(?:\?(.*))?$/,
  title: '台账',
  nav: true,
  roles: ITEM_ROLES,
  async render(view, match, ctx) {
    const mine = ++renders;
    const [l, u] = await Promise.all([ledgers(), units()]);
    if (mine !== renders) return; // left while loading
    state = {
      ctx, ledgers: l, units: u, params: paramsFromHash(), seq: 0, headSeq: 0, rows: [],
      filtersBox: h('div', { class: 'filters-box' }),
      table: h('div', { class: 'items-list', 'aria-live': 'polite' }),
      tools: h('div', { class: 'head-tools' }),
      count: h('span', { class: 'count' }),
      heading: h('span', {}),
    };
    view.classList.add('ledger-pages');
    fill(view,
      h('div', { class: 'page-head' }, h('h1', {}, state.heading, ' ', state.count), state.tools),
      state.filtersBox, state.table);
    renderFilters();
    document.addEventListener('click', closeMenus);
    document.addEventListener('keydown', closeMenus);
    await load();
  },
  onLive() {
    if (!state) return;
    clearTimeout(state.liveTimer);
    state.liveTimer = setTimeout(() => load().catch(() => toast('列表刷新失败', 'error')), 400);
  },
  dispose() {
    renders++;
    document.removeEventListener('click', closeMenus);
    document.removeEventListener('keydown', closeMenus);
    if (state) clearTimeout(state.liveTimer);
    state = null;
  },
};
