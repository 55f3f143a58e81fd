// audit.js - 审计日志 (#/audit, the security auditor): the append-only,
// hash-chained audit log (GET /audit?after=&limit=) as a table a page at a
// time, newest first, with each entry's detail summarised and the whole entry
// (hashes included) one click away; and 校验, which recomputes the chain on the
// server (GET /audit/verify) and says plainly whether it is intact or where it
// breaks. The address carries the page (#/audit?after=N), so a finding can be
// pointed to.

import { api } from '../api.js';
import { renderGuard } from '../tools/alive.js';
import { h, fill, ACTION_NAMES, STATUS_NAMES, ROLE_NAMES } from '../ui.js';
import { zh } from '../tools/messages.js';

const LIMIT = 50;

const AUDIT_ACTIONS = {
  init: '系统初始化',
  login: '登录',
  login_failed: '登录失败',
  login_locked: '账号锁定',
  logout: '退出登录',
  deny: '拒绝请求',
  'unit.create': '新建单位',
  'unit.update': '修改单位',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'calendar.update': '修改工作日历',
  'attachment.download': '下载佐证',
  export: '导出',
};

const DENY_CODES = {
  bad_request: '请求格式有误', unauthorized: '未登录', forbidden: '无权限', csrf_failed: 'CSRF 校验失败',
  not_found: '不存在或不可见', invalid_transition: '状态不允许', version_conflict: '版本冲突',
  validation_failed: '校验未通过', too_large: '内容过大', unsupported_media_type: '文件类型不支持',
  locked: '账号锁定', too_many_requests: '请求过于频繁',
};

const TARGET_KINDS = { item: '事项', unit: '单位', user: '用户', calendar: '日历', attachment: '附件' };

const KEY_NAMES = {
  status: '状态', light: '亮灯', progress: '进度', deadline: '时限', lead_unit_id: '牵头单位',
  supervised: '督办级别', remind_count: '催办次数', extension_count: '延期次数', reopen_count: '反弹次数',
  extension: '延期申请', closed_at: '销号时间', on_time: '按期', title: '标题', name: '名称', code: '编码',
  roles: '角色', disabled: '停用', username: '用户名', unit_id: '单位', display_name: '姓名', kind: '类型', parent_id: '上级',
};

export function actionName(a) {
  if (AUDIT_ACTIONS[a]) return AUDIT_ACTIONS[a];
  if (a.startsWith('item.')) return `事项·${ACTION_NAMES[a.slice(5)] || a.slice(5)}`;
  return a;
}

function targetText(t) {
  const m = /^([a-z]+):(.+)$/.exec(t || '');
  return m && TARGET_KINDS[m[1]] ? `${TARGET_KINDS[m[1]]} ${m[2]}` : t || '—';
}

/* "2026-11-29T17:19:30+08:00" -> "2026年11月29日 17:19:30" (audit times are real-clock) */
function fmtStamp(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}:\d{2}:\d{2})/.exec(s || '');
  return m ? `${+m[1]}年${+m[2]}月${+m[3]}日 ${m[4]}` : s || '';
}

function nowText() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function short(v) {
  if (v === null || v === undefined) return '空';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'object') return Array.isArray(v) ? v.join('、') || '空' : '…';
  const s = String(v);
  if (STATUS_NAMES[s]) return STATUS_NAMES[s];
  return s.length > 24 ? s.slice(0, 24) + '…' : s;
}

/* One line saying what an entry's detail holds. */
export function summarise(e) {
  const d = e.detail;
  if (!d || typeof d !== 'object' || Array.isArray(d)) return d ? short(d) : '';
  if (e.action === 'deny') {
    return [d.status, DENY_CODES[d.code] || d.code, d.reason].filter(Boolean).join(' · ');
  }
  const parts = [];
  if (d.code && typeof d.code === 'string') parts.push(d.code);
  if (d.before && d.after && typeof d.after === 'object') {
    const keys = Object.keys(d.after).filter((k) => k !== 'fields' && k !== 'description');
    for (const k of keys.slice(0, 4)) {
      if (d.before[k] === undefined) parts.push(`${KEY_NAMES[k] || k}：${short(d.after[k])}`);
      else parts.push(`${KEY_NAMES[k] || k}：${short(d.before[k])} → ${short(d.after[k])}`);
    }
    if (keys.length > 4) parts.push(`等 ${keys.length} 项`);
  } else if (Array.isArray(d.holidays) || Array.isArray(d.workdays)) {
    parts.push(`${d.year ?? ''}年：法定节假日 ${(d.holidays || []).length} 天，调休上班 ${(d.workdays || []).length} 天`);
  } else if (d.attachment) {
    parts.push(`附件：${d.attachment.name}`);
  } else {
    for (const k of ['username', 'name', 'display_name', 'roles', 'disabled', 'year'].filter((x) => d[x] !== undefined)) {
      const v = k === 'roles' && Array.isArray(d[k]) ? d[k].map((r) => ROLE_NAMES[r] || r) : d[k];
      parts.push(`${KEY_NAMES[k] || k}：${short(v)}`);
    }
    if (d.demo) parts.push('演示数据');
  }
  return parts.join('；');
}

function entryRows(e, broken) {
  const more = h('tr', { class: 'audit-more', hidden: true },
    h('td', { colspan: 8 },
      h('dl', { class: 'hashes' },
        h('dt', {}, '前一哈希'), h('dd', { class: 'mono' }, e.prev_hash),
        h('dt', {}, '本条哈希'), h('dd', { class: 'mono' }, e.hash)),
      h('pre', { class: 'detail-json' }, JSON.stringify(e.detail, null, 2))));
  const toggle = h('button', {
    type: 'button', class: 'small', 'aria-expanded': 'false', 'aria-label': `展开第 ${e.seq} 条详情`,
    onclick: () => {
      more.hidden = !more.hidden;
      toggle.setAttribute('aria-expanded', String(!more.hidden));
      toggle.textContent = more.hidden ? '展开' : '收起';
    },
  }, '展开');
  const cls = [e.action === 'deny' || e.action.startsWith('login_') ? 'alert' : null,
    broken && e.seq >= broken ? 'broken' : null].filter(Boolean).join(' ') || null;
  return [h('tr', { class: cls, dataset: { seq: e.seq } },
    h('td', { class: 'num mono' }, String(e.seq)),
    h('td', { class: 'nowrap' }, fmtStamp(e.at)),
    h('td', {}, e.actor === '-' ? h('span', { class: 'hint' }, '系统') : e.actor),
    h('td', { class: 'mono ip' }, e.ip && e.ip !== '-' ? e.ip : ''),
    h('td', {}, h('span', { class: `audit-action act-${e.action.split('.')[0]}` }, actionName(e.action))),
    h('td', { class: 'nowrap' }, targetText(e.target)),
    h('td', { class: 'detail' }, summarise(e)),
    h('td', {}, toggle)), more];
}

function params(match) {
  const q = new URLSearchParams(match[1] || '');
  const after = q.get('after');
  return { after: after !== null && /^\d+$/.test(after) ? Number(after) : null };
}

export default {
  name: 'audit',
  path: /^#\/audit(?:\?(.*))?$/,
  title: '审计',
  nav: true,
  roles: ['auditor'],

  async render(main, match) {
    const alive = renderGuard(main);
    let { after } = params(match);
    let j;
    let last;
    if (after === null) {
      /* no page asked for: the newest entries, found from the log's last seq */
      last = (await api.get('/audit?after=0&limit=1')).last_seq ?? 0;
      after = Math.max(0, last - LIMIT);
    }
    j = await api.get('/audit' + api.query({ after, limit: LIMIT }));
    last = Math.max(last ?? 0, j.last_seq ?? 0);
    if (!alive()) return;
    const entries = [...j.entries].reverse();
    const verifyBox = h('div', { class: 'verify-result', 'aria-live': 'polite' });
    const broken = sessionStorage.getItem('taizhang.audit.broken');
    const hrefAt = (a) => `#/audit?after=${Math.max(0, a)}`;
    const first = entries.length ? entries[entries.length - 1].seq : 0;
    const lastShown = entries.length ? entries[0].seq : 0;
    const jump = h('input', { type: 'number', id: 'audit-seq', min: 1, max: last || undefined, inputmode: 'numeric' });
    const jumpForm = h('form', { class: 'inline-field jump' },
      h('label', { for: 'audit-seq' }, '跳至序号'), jump, h('button', { type: 'submit', class: 'small' }, '前往'));
    jumpForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const n = Number(jump.value);
      if (n >= 1) location.hash = hrefAt(n - 1 - Math.floor(LIMIT / 2));
    });

    const nav = () => h('nav', { class: 'pager audit-pager', 'aria-label': '审计日志分页' },
      lastShown < last ? h('a', { class: 'pager-btn', href: '#/audit' }, '« 最新') : h('span', { class: 'pager-btn disabled' }, '« 最新'),
      lastShown < last ? h('a', { class: 'pager-btn', href: hrefAt(Math.min(after + LIMIT, Math.max(0, last - LIMIT))), rel: 'prev' }, '‹ 较新')
        : h('span', { class: 'pager-btn disabled' }, '‹ 较新'),
      after > 0 ? h('a', { class: 'pager-btn', href: hrefAt(after - LIMIT), rel: 'next' }, '较早 ›') : h('span', { class: 'pager-btn disabled' }, '较早 ›'),
      after > 0 ? h('a', { class: 'pager-btn', href: hrefAt(0) }, '最早 »') : h('span', { class: 'pager-btn disabled' }, '最早 »'),
      h('span', { class: 'pager-info' }, entries.length ? `第 ${first}–${lastShown} 条，共 ${last} 条` : `共 ${last} 条`));

    const verify = async (button) => {
      button.disabled = true;
      fill(verifyBox, h('p', { class: 'verify-running' }, '正在逐条重算哈希链…'));
      try {
        const r = await api.get('/audit/verify');
        if (r.ok) {
          sessionStorage.removeItem('taizhang.audit.broken');
          fill(verifyBox, h('div', { class: 'verify ok', role: 'status', dataset: { ok: 'true' } },
            h('span', { class: 'verify-icon', 'aria-hidden': 'true' }, '✓'),
            h('div', {},
              h('strong', {}, '审计链完整'),
              h('p', {}, `已逐条校验 ${r.checked} 条记录，哈希链首尾相接，未发现篡改、删除或插入。算法：${r.algorithm}。`),
              h('small', {}, `校验时间：${nowText()}`))));
        } else {
          sessionStorage.setItem('taizhang.audit.broken', String(r.first_broken_seq));
          fill(verifyBox, h('div', { class: 'verify broken', role: 'alert', dataset: { ok: 'false' } },
            h('span', { class: 'verify-icon', 'aria-hidden': 'true' }, '!'),
            h('div', {},
              h('strong', {}, `审计链在第 ${r.first_broken_seq} 条断开`),
              h('p', {}, `已校验 ${r.checked} 条（算法 ${r.algorithm}）。第 ${r.first_broken_seq} 条的哈希与记录内容或前一条不符：该条及其后的记录可能被篡改、删除或插入。请保全数据库文件并报告。`),
              h('a', { href: hrefAt(r.first_broken_seq - 1 - Math.floor(LIMIT / 2)) }, `查看第 ${r.first_broken_seq} 条附近的记录`))));
        }
      } catch (err) {
        fill(verifyBox, h('p', { class: 'field-error', role: 'alert' }, zh(err).text));
      } finally {
        button.disabled = false;
      }
    };
    const verifyButton = h('button', { type: 'button', class: 'primary', onclick: () => verify(verifyButton) }, '校验审计链');

    main.append(
      h('div', { class: 'page-head' },
        h('div', {},
          h('h1', {}, '审计日志'),
          h('p', { class: 'sub' }, '登录、每一次变更、每一次拒绝和导出都记入只追加的审计日志；每条记录的哈希链接前一条，任何改动都会使校验失败。')),
        h('div', { class: 'verify-bar' }, verifyButton)),
      verifyBox,
      h('section', { class: 'card' },
        h('div', { class: 'toolbar audit-toolbar' }, nav(), h('span', { class: 'spacer' }), jumpForm),
        entries.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'data audit' },
          h('thead', {}, h('tr', {}, ['序号', '时间', '操作人', '来源地址', '操作', '对象', '内容摘要', '详情']
            .map((t) => h('th', { scope: 'col', class: t === '序号' ? 'num' : null }, t)))),
          h('tbody', {}, entries.map((e) => entryRows(e, broken ? Number(broken) : null)))))
          : h('p', { class: 'empty' }, '这一段没有审计记录。'),
        nav()));
  },
};
