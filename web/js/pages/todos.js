// todos.js - 待办 (#/todos): what waits for the signed-in user's action
// (GET /todos), grouped by kind, most urgent first within each group, every
// entry linking to its item page. The header's 待办 link carries the count as
// a badge (navBadge, called by app.js when it draws the header), refreshed on
// every live change; the page itself reloads on a live change too.
//
// The rules of what waits for whom are the server's (docs/DECISIONS.md); the
// page only says them: a short hint under each kind's heading.

import { api } from '../api.js';
import { h, fill, fmtDate, fmtTime, LEDGER_NAMES, STATUS_NAMES, lightBadge, debounce } from '../ui.js';

/* What each kind asks of the user, in a sentence. */
const HINTS = {
  accept: '已交办本单位，请签收；不属于本单位职责的可异议退回。',
  rework: '申请销号被退回，请按意见整改后报进展、再次申请销号。',
  reopened: '已销号事项出现反弹，已重新交办，请整改并报进展。',
  extension_denied: '延期申请未获批准，原时限不变，请加快办理并报进展。',
  due: '临近时限、进度滞后或已逾期（黄灯、红灯），请加快办理并报进展。',
  submit: '进度已达 100%，请上传佐证材料并申请销号。',
  report: '长期坚持事项已过定期报告周期，请报告进展。',
  verify: '牵头单位已申请销号，请核查佐证材料并验收销号或退回。',
  extension: '牵头单位申请延期，请审批。',
  objection: '牵头单位异议退回，请核实后重新交办或调整牵头单位。',
  assign: '已立项尚未交办，请明确牵头单位和时限后交办。',
  supervised_red: '督办中的事项已亮红灯，可作批示。',
};

const BADGE_LIMIT = 99;

function dueText(t, today) {
  if (!t.due) return '无时限';
  if (t.overdue) {
    const days = Math.round((Date.parse(today) - Date.parse(t.due)) / 86400000);
    return `已逾期 ${days} 天（${fmtDate(t.due)}）`;
  }
  return `${fmtDate(t.due)}到期`;
}

function entry(t, today) {
  const it = t.item;
  return h('li', { class: 'todo' + (t.overdue ? ' overdue' : '') },
    h('div', { class: 'todo-main' },
      h('a', { class: 'todo-title', href: `#/items/${it.id}` }, it.title || it.code),
      h('div', { class: 'todo-meta' },
        h('span', { class: 'code' }, it.code),
        h('span', { class: `ledger-tag ledger-${it.ledger}` }, LEDGER_NAMES[it.ledger] || it.ledger),
        h('span', { class: `status status-${it.status}` }, STATUS_NAMES[it.status] || it.status),
        it.light && it.light !== 'none' ? lightBadge(it.light) : null,
        t.since ? h('span', { class: 'since' }, `自 ${fmtTime(t.since)}`) : null)),
    h('div', { class: 'todo-due' + (t.overdue ? ' late' : '') }, dueText(t, today)));
}

function group(k, todos, today) {
  const mine = todos.filter((t) => t.kind === k.kind);
  return h('section', { class: `todo-group todo-kind-${k.kind}`, 'aria-labelledby': `todo-h-${k.kind}` },
    h('header', {},
      h('h2', { id: `todo-h-${k.kind}` }, k.label, h('span', { class: 'todo-count' }, String(k.count))),
      h('p', { class: 'hint' }, HINTS[k.kind] || '')),
    h('ol', { class: 'todo-list' }, mine.map((t) => entry(t, today))),
    k.count > mine.length
      ? h('p', { class: 'hint more' }, `另有 ${k.count - mine.length} 项未列出，请在事项列表中查看。`)
      : null);
}

/* Sets the count on the header's 待办 link (none when zero). */
async function setBadge(link) {
  let j;
  try {
    j = await api.get('/todos?limit=0');
  } catch (e) {
    return;
  }
  if (!link.isConnected) return;
  link.querySelector('.nav-badge')?.remove();
  if (j.count > 0) {
    link.append(h('span', { class: 'nav-badge', 'aria-label': `${j.count} 项待办` },
      j.count > BADGE_LIMIT ? `${BADGE_LIMIT}+` : String(j.count)));
  }
}

const refreshBadge = debounce(() => {
  const link = document.querySelector('#top nav a[href="#/todos"]');
  if (link) setBadge(link);
}, 300);
let listening = false;

let reload = null;

export default {
  name: 'todos',
  path: /^#\/todos$/,
  title: '待办',
  nav: true,
  roles: ['leader', 'supervisor', 'manager', 'staff'],

  navBadge(link) {
    setBadge(link);
    if (!listening) {
      listening = true;
      document.addEventListener('tz-change', refreshBadge);
    }
  },

  async render(view) {
    const out = h('div', { class: 'todo-groups', 'aria-live': 'polite' });
    const sub = h('p', { class: 'sub' }, '正在读取…');
    view.append(
      h('div', { class: 'page-head' },
        h('div', {}, h('h1', {}, '待办'), sub)),
      out);
    const load = async () => {
      const j = await api.get('/todos?limit=500');
      if (!view.isConnected) return;
      if (!j.count) {
        fill(sub, '当前没有等待您办理的事项。');
        fill(out, h('div', { class: 'empty todo-empty' },
          h('p', {}, '暂无待办'), h('p', { class: 'hint' }, '有新交办、退回或需要审批的事项时会显示在这里。')));
        return;
      }
      const overdue = j.todos.filter((t) => t.overdue).length;
      fill(sub, `共 ${j.count} 项待办`, overdue ? h('span', { class: 'late' }, `，其中 ${overdue} 项已逾期`) : null,
        '，按紧急程度排列：逾期在前，其次到期日最近。');
      fill(out,
        h('nav', { class: 'todo-kinds', 'aria-label': '待办分类' },
          j.kinds.map((k) => h('a', { href: `#/todos`, 'data-kind': k.kind,
            onclick: (e) => {
              e.preventDefault();
              out.querySelector(`.todo-kind-${k.kind}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
            } }, k.label, h('b', {}, String(k.count))))),
        j.kinds.map((k) => group(k, j.todos, j.today)));
    };
    reload = debounce(() => load().catch(() => {}), 300);
    await load();
  },

  onLive() {
    reload?.();
  },

  dispose() {
    reload = null;
  },
};
