// search.js - 检索 (#/search?q=…&page=…): Chinese full-text search over the
// items and policies the user may see (GET /search). The address carries the
// query, so a search can be bookmarked, shared and gone back to. Snippets come
// from the API HTML-escaped with each match in <mark>…</mark>; they are turned
// into text nodes and <mark> elements here, never parsed as HTML.

import { api } from '../api.js';
import { h, fill, LEDGER_NAMES, STATUS_NAMES, lightBadge } from '../ui.js';
import { zh } from '../tools/messages.js';
import { pager } from '../tools/pager.js';

const PER_PAGE = 20;
const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", '#39': "'" };

/* Undoes the API's HTML escaping of a piece of snippet text (as text, never markup). */
function unescapeText(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (all, name) => {
    const key = name.toLowerCase();
    if (key in ENTITIES) return ENTITIES[key];
    if (key.startsWith('#x')) return String.fromCodePoint(parseInt(key.slice(2), 16));
    if (key.startsWith('#')) return String.fromCodePoint(parseInt(key.slice(1), 10));
    return all;
  });
}

/*
 * The snippet as DOM: the text between the <mark> tags as text nodes, the
 * text inside them in <mark> elements. Any other tag-like text stays text.
 */
export function snippetNodes(snippet) {
  const out = [];
  let inMark = false;
  for (const part of String(snippet || '').split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') inMark = true;
    else if (part === '</mark>') inMark = false;
    else if (part) out.push(inMark ? h('mark', {}, unescapeText(part)) : unescapeText(part));
  }
  return out;
}

function params(match) {
  const q = new URLSearchParams(match[1] || '');
  return { q: (q.get('q') || '').trim(), page: Math.max(1, parseInt(q.get('page'), 10) || 1) };
}

function hrefFor(q, page) {
  return '#/search' + api.query({ q, page: page > 1 ? page : undefined });
}

/* The title with each occurrence of q marked (as text, like the snippet). */
function titleNodes(title, q) {
  if (!q || !title.includes(q)) return [title];
  const out = [];
  title.split(q).forEach((part, i) => {
    if (i) out.push(h('mark', {}, q));
    if (part) out.push(part);
  });
  return out;
}

function result(r, q) {
  return h('li', { class: 'search-hit' },
    h('div', { class: 'hit-meta' },
      h('span', { class: `ledger-tag ledger-${r.ledger}` }, LEDGER_NAMES[r.ledger] || r.ledger),
      h('span', { class: 'code' }, r.code),
      r.status ? h('span', { class: `status status-${r.status}` }, STATUS_NAMES[r.status] || r.status) : null,
      r.light && r.light !== 'none' ? lightBadge(r.light) : null),
    h('h3', {}, h('a', { href: `#/items/${r.id}` }, titleNodes(r.title || r.code, q))),
    r.snippet ? h('p', { class: 'snippet' }, snippetNodes(r.snippet)) : null);
}

export default {
  name: 'search',
  path: /^#\/search(?:\?(.*))?$/,
  title: '检索',
  nav: true,
  roles: ['leader', 'supervisor', 'manager', 'staff', 'viewer'],

  async render(main, match) {
    const { q, page } = params(match);
    const input = h('input', {
      type: 'search', name: 'q', id: 'search-q', value: q, maxlength: 200,
      placeholder: '输入关键词，如：生态修复、燃气、湟水河', autocomplete: 'off',
    });
    const form = h('form', { class: 'search-form', role: 'search' },
      h('label', { for: 'search-q', class: 'visually-hidden' }, '检索内容'),
      input,
      h('button', { type: 'submit', class: 'primary' }, '检索'));
    const out = h('section', { class: 'search-results', 'aria-live': 'polite' });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = input.value.trim();
      if (!v) {
        fill(out, h('p', { class: 'field-error', role: 'alert' }, '请输入检索内容'));
        input.focus();
        return;
      }
      location.hash = hrefFor(v, 1);
    });
    main.append(
      h('div', { class: 'page-head' },
        h('div', {},
          h('h1', {}, '检索'),
          h('p', { class: 'sub' }, '在您可查看的各类台账事项和政策文件中全文检索，一个字也可以检索。'))),
      form, out);
    if (!q) {
      out.append(h('div', { class: 'search-empty' },
        h('p', {}, '可检索事项编号、标题、描述、来源、责任领导和各台账的专有内容（如整改措施、政策正文）。'),
        h('p', { class: 'hint' }, '信访人姓名和联系方式不在检索范围内。')));
      input.focus();
      return;
    }
    fill(out, h('p', { class: 'loading' }, '正在检索…'));
    let j;
    try {
      j = await api.get('/search' + api.query({ q, page, per_page: PER_PAGE }));
    } catch (err) {
      fill(out, h('p', { class: 'field-error', role: 'alert' }, zh(err).text));
      return;
    }
    if (!j.total) {
      fill(out, h('div', { class: 'search-empty' },
        h('p', {}, `没有找到与“${q}”相关的内容。`),
        h('p', { class: 'hint' }, '请换个关键词，或减少字数再试。')));
      return;
    }
    fill(out,
      h('p', { class: 'search-count' }, '找到 ', h('b', {}, String(j.total)), ` 条与“${q}”相关的结果`),
      h('ol', { class: 'search-list', start: (page - 1) * PER_PAGE + 1 }, j.results.map((r) => result(r, q))),
      j.total > (j.per_page || PER_PAGE)
        ? pager({ page, perPage: j.per_page || PER_PAGE, total: j.total, label: '检索结果分页',
          href: (p) => hrefFor(q, p) })
        : null);
  },
};
