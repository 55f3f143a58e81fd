// pages/item.js - 事项: one item and its closed loop. The header says where the
// item stands (status, light, units, deadlines, progress, 督办, extensions);
// then its kind-specific fields, its series as a chart (indicators, eco
// problems), the timeline of events, the actions the user may take and the
// evidence. A change pushed by the server reloads the page's data, unless a
// form has been typed into: then a notice offers the reload, and forms are
// never rebuilt by a reload, so nothing typed is lost.

import { api } from '../api.js';
import {
  h, fill, fmtDate, fmtTime, lightBadge, statusBadge, LEDGER_NAMES, LIGHT_NAMES,
} from '../ui.js';
import { ledgers, units, unitName, ITEM_ROLES } from '../items/ref.js';
import { fieldList } from '../items/fieldview.js';
import { timeline } from '../items/timeline.js';
import { attachmentList, uploader } from '../items/evidence.js';
import { actionPanel } from '../items/actions.js';
import { seriesSection } from '../items/series.js';

const SUPERVISED_NAMES = ['', '督查室督办', '领导督办'];
const SERIES_LEDGERS = new Set(['indicator', 'eco_problem']);
const OPEN_STATES = new Set(['assigned', 'in_progress', 'submitted', 'ongoing']);

/*
 * 督办单 (GET /items/{id}/notice.pdf): offered on an open item that is under 督办
 * or red, to whoever sees the item (the server prints for every reader of it).
 */
function noticeLink(item) {
  if (!OPEN_STATES.has(item.status) || !(item.supervised > 0 || item.light === 'red')) return null;
  return h('a', {
    class: 'notice-link', href: `/api/v1/items/${item.id}/notice.pdf?inline=1`, target: '_blank',
    rel: 'noopener', dataset: { notice: String(item.id) },
    title: '打印督办通知单（PDF，一事一单；编号首次打印时生成，之后不变）',
  }, '督办单');
}

let state = null;
let renders = 0; // bumped by every render and dispose: a render that was left stops at its next await

function notFound(view) {
  view.classList.add('ledger-pages');
  fill(view, h('section', { class: 'empty', dataset: { notFound: '1' } },
    h('h1', {}, '未找到该事项'),
    h('p', {}, '该事项不存在，或您无权查看。'),
    h('a', { href: '#/items' }, '返回台账')));
  document.title = '未找到 · 台账';
}

/* Is the lead unit the user's unit or one below it? */
function isLead(item) {
  const mine = state.ctx.me.unit?.id;
  for (let id = item.lead_unit_id; id; id = state.units.byId[id]?.parent_id) {
    if (id === mine) return true;
  }
  return false;
}

function progressBar(v) {
  return h('div', { class: 'progress progress-lg', title: `进度 ${v}%` },
    h('div', { class: 'progress-track' }, h('div', { class: 'progress-fill', style: `width:${v}%` })),
    h('span', { class: 'progress-num' }, `${v}%`));
}

function fact(label, ...value) {
  return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, ...value));
}

function renderHead(item) {
  const u = state.units;
  // a register (政策库, 风险点) is kept, not worked to a deadline: no progress, no extensions
  const register = !!state.ledgers.byKey[item.ledger]?.register;
  const ledgerName = LEDGER_NAMES[item.ledger] || item.ledger;
  const deadline = item.deadline
    ? [fmtDate(item.deadline), item.original_deadline && item.original_deadline !== item.deadline
      ? h('small', { class: 'muted' }, `（原定 ${fmtDate(item.original_deadline)}）`) : null]
    : [h('span', { class: 'muted' }, '未定')];
  const closed = item.closed_at ? [fmtDate(item.closed_at),
    item.on_time === true ? h('span', { class: 'badge badge-good' }, '按期') : item.on_time === false
      ? h('span', { class: 'badge badge-bad' }, '逾期') : null] : null;
  fill(state.head,
    h('nav', { class: 'crumbs', 'aria-label': '位置' },
      h('a', { href: '#/items' }, '台账'), ' › ',
      h('a', { href: `#/items?ledger=${item.ledger}` }, ledgerName), ' › ', item.code),
    h('div', { class: 'item-title' },
      h('div', { class: 'item-tags' },
        h('span', { class: 'code' }, item.code), h('span', { class: 'ledger-tag' }, ledgerName),
        statusBadge(item.status),
        // a closed item's light (已销号) would only repeat its status
        item.light === 'done' && item.status === 'closed' ? null
          : h('span', { class: `light light-${item.light}`, dataset: { light: item.light } }, LIGHT_NAMES[item.light] || item.light),
        item.supervised ? h('span', { class: 'badge badge-sup' }, SUPERVISED_NAMES[item.supervised]) : null,
        noticeLink(item)),
      h('h1', {}, item.title)),
    h('dl', { class: 'facts' },
      register && !item.lead_unit_id ? null
        : fact('牵头单位', item.lead_unit_id ? unitName(u, item.lead_unit_id) : h('span', { class: 'muted' }, '未定')),
      register && !item.co_unit_ids.length ? null
        : fact('配合单位', item.co_unit_ids.length ? item.co_unit_ids.map((id) => unitName(u, id)).join('、') : h('span', { class: 'muted' }, '无')),
      register && !item.leader ? null : fact('责任领导', item.leader || h('span', { class: 'muted' }, '—')),
      register && !item.deadline ? null : fact('办结时限', ...deadline),
      register ? null : fact('进度', progressBar(item.progress)),
      register && !item.supervised ? null
        : fact('督办', item.supervised ? SUPERVISED_NAMES[item.supervised] : h('span', { class: 'muted' }, '未督办')),
      register ? null : fact('延期', item.extension_count ? `已延期 ${item.extension_count} 次` : h('span', { class: 'muted' }, '无')),
      item.remind_count ? fact('催办', `${item.remind_count} 次`) : null,
      item.reopen_count ? fact('问题反弹', `${item.reopen_count} 次`) : null,
      item.assigned_at ? fact('交办于', fmtDate(item.assigned_at)) : null,
      closed ? fact('销号于', ...closed) : null,
      item.status === 'ongoing' && item.report_every_days ? fact('报告周期', `每 ${item.report_every_days} 天`) : null),
    item.extension ? h('div', { class: 'notice notice-ext', role: 'note' },
      h('strong', {}, '延期申请待审批：'), `申请延至 ${fmtDate(item.extension.deadline)}`,
      item.extension.comment ? `。理由：${item.extension.comment}` : '',
      h('span', { class: 'muted' }, `（${fmtTime(item.extension.at)}）`)) : null);
  document.title = `${item.code} ${item.title} · 台账`;
}

async function linkedItems(ids) {
  return Promise.all(ids.map((id) => api.get(`/items/${id}`).catch(() => ({ id, hidden: true }))));
}

function renderInfo(item, linked) {
  const ledger = state.ledgers.byKey[item.ledger];
  const fields = ledger ? fieldList(ledger, item.fields || {}) : null;
  fill(state.info,
    h('h2', {}, '事项信息'),
    item.description ? h('div', { class: 'prose description' }, item.description) : null,
    h('dl', { class: 'kvs' },
      item.source ? h('div', { class: 'kv kv-wide' }, h('dt', {}, '来源'), h('dd', {}, item.source)) : null,
      item.location ? h('div', { class: 'kv kv-wide' }, h('dt', {}, '位置'),
        h('dd', {}, item.location.address || '', h('small', { class: 'muted' }, ` （${item.location.lat}, ${item.location.lon}）`))) : null),
    fields,
    item.clocks?.length ? h('div', { class: 'sub-block' }, h('h3', {}, '法定时限'),
      h('table', { class: 'mini clocks' },
        h('thead', {}, h('tr', {}, h('th', {}, '时限'), h('th', {}, '规则'), h('th', {}, '到期日'))),
        h('tbody', {}, item.clocks.map((c) => h('tr', {}, h('td', {}, c.name), h('td', {}, c.rule), h('td', {}, fmtDate(c.due))))))) : null,
    item.pace ? h('div', { class: 'sub-block pace' }, h('h3', {}, '投资进度'),
      h('p', {}, lightBadge(item.pace.light), ' ', item.pace.reason)) : null,
    linked.length ? h('div', { class: 'sub-block' }, h('h3', {}, '关联事项'),
      h('ul', { class: 'links' }, linked.map((x) => h('li', {}, x.hidden
        ? h('a', { href: `#/items/${x.id}` }, `事项 #${x.id}`)
        : [h('a', { href: `#/items/${x.id}` }, h('span', { class: 'code' }, x.code), ' ', x.title), ' ', lightBadge(x.light)])))) : null);
}

function renderEvidence(item, events) {
  const people = {};
  for (const ev of events) if (ev.actor) people[ev.actor.id] = ev.actor.display_name || ev.actor.username;
  if (item.may?.attach && !state.upload) {
    state.upload = uploader(item.id, () => refresh());
  } else if (!item.may?.attach && state.upload) {
    state.upload.dispose();
    state.upload = null;
  }
  fill(state.evidenceList, attachmentList(item.attachments, people));
  fill(state.evidence, h('h2', {}, '佐证材料', item.attachments.length ? h('span', { class: 'count' }, ` ${item.attachments.length} 份`) : null),
    state.evidenceList, state.upload ? state.upload.el : null);
}

/* Loads the item (unless given), its events, series and links, and shows them all. */
async function refresh(given) {
  const s = state;
  const id = s.id;
  s.busy++;
  s.view.setAttribute('aria-busy', 'true');
  try {
    if (given) {
      // what the action answered is shown at once; its events and the rest follow
      s.item = given;
      renderHead(given);
      s.panel.update(given);
    }
    const item = given || await api.get(`/items/${id}`);
    const [events, series, linked] = await Promise.all([
      api.get(`/items/${id}/events`).then((j) => j.events),
      SERIES_LEDGERS.has(item.ledger) ? api.get(`/items/${id}/series`).then((j) => j.series) : null,
      linkedItems(item.links || []),
    ]);
    if (state !== s) return;
    s.item = item;
    renderHead(item);
    renderInfo(item, linked);
    if (s.series) s.series.update(item, series || []);
    fill(s.timeline, h('h2', {}, '办理过程'), timeline(events, { units: s.units, ledger: s.ledgers.byKey[item.ledger] }));
    renderEvidence(item, events);
    s.panel.update(item);
    s.notice.hidden = true;
  } catch (e) {
    if (state !== s) return;
    if (e.status === 404) gone();
    else throw e;
  } finally {
    s.busy--;
    if (!s.busy) s.view.removeAttribute('aria-busy');
  }
  // a change that arrived while loading may not be in what was loaded
  if (state === s && s.again && !s.busy) {
    s.again = false;
    await refresh();
  }
}

function gone() {
  const view = state.view;
  dispose();
  notFound(view);
}

function dispose() {
  renders++;
  if (!state) return;
  state.upload?.dispose();
  state.series?.dispose();
  state = null;
}

export default {
  name: 'item',
  path: /^#\/items\/(\d+)$/,
  title: '事项',
  roles: ITEM_ROLES,
  async render(view, match, ctx) {
    const id = Number(match[1]);
    const mine = ++renders;
    let item;
    let l;
    let u;
    try {
      [l, u, item] = await Promise.all([ledgers(), units(), api.get(`/items/${id}`)]);
    } catch (e) {
      if (mine !== renders) return;
      if (e.status === 404) return notFound(view);
      throw e;
    }
    if (mine !== renders) return; // left while loading
    state = {
      ctx, id, view, item, ledgers: l, units: u, busy: 0, upload: null,
      head: h('header', { class: 'card item-head' }),
      info: h('section', { class: 'card item-info' }),
      timeline: h('section', { class: 'card item-timeline' }),
      evidence: h('section', { class: 'card item-evidence' }),
      evidenceList: h('div'),
      notice: h('div', { class: 'notice notice-live', role: 'status', hidden: true },
        '该事项已更新。', h('button', { type: 'button', onclick: () => refresh() }, '重新载入')),
    };
    state.panel = actionPanel({
      units: u,
      getItem: () => state.item,
      isLead,
      applied: (it, opts) => (opts?.quiet ? (state.item = it) : refresh(it)),
      conflict: () => refresh(),
      gone,
    });
    state.series = SERIES_LEDGERS.has(item.ledger) ? seriesSection((it) => refresh(it)) : null;
    view.classList.add('ledger-pages');
    fill(view,
      state.notice,
      state.head,
      h('div', { class: 'item-grid' },
        h('div', { class: 'item-main' },
          state.series ? h('section', { class: 'card item-series' }, h('h2', {}, '数据走势'), state.series.el) : null,
          state.info,
          state.timeline),
        h('aside', { class: 'item-side' },
          h('section', { class: 'card item-actions' }, h('h2', {}, '办理'), state.panel.el),
          state.evidence)));
    await refresh(item);
  },
  onLive(change) {
    if (!state || change.id !== state.id) return;
    if (change.version && change.version === state.item.version) return;
    if (state.panel.dirty() || state.series?.dirty()) {
      state.notice.hidden = false;
      return;
    }
    if (state.busy) {
      state.again = true;
      return;
    }
    refresh().catch(() => { state && (state.notice.hidden = false); });
  },
  dispose,
};
