// tools/pager.js - page navigation under a list: 上一页 / 下一页, the page
// numbers around the current one, and "第 2 / 5 页，共 93 条". Real links when
// each page has an address (href(page)), buttons otherwise (onGo(page)).

import { h } from '../ui.js';

export function pager({ page, perPage, total, href, onGo, label = '分页' }) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1) {
    return h('nav', { class: 'pager', 'aria-label': label },
      h('span', { class: 'pager-info' }, `共 ${total} 条`));
  }
  const link = (p, text, attrs = {}) => {
    if (p < 1 || p > pages) return h('span', { class: 'pager-btn disabled', 'aria-disabled': 'true' }, text);
    if (p === page && !attrs.rel) return h('span', { class: 'pager-btn current', 'aria-current': 'page' }, text);
    return href
      ? h('a', { class: 'pager-btn', href: href(p), ...attrs }, text)
      : h('button', { type: 'button', class: 'pager-btn', onclick: () => onGo(p), ...attrs }, text);
  };
  const nums = [];
  const shown = new Set([1, pages, page - 1, page, page + 1, page - 2, page + 2]);
  let gap = false;
  for (let p = 1; p <= pages; p++) {
    if (shown.has(p)) {
      nums.push(link(p, String(p), { 'aria-label': `第 ${p} 页` }));
      gap = false;
    } else if (!gap) {
      nums.push(h('span', { class: 'pager-gap' }, '…'));
      gap = true;
    }
  }
  return h('nav', { class: 'pager', 'aria-label': label },
    link(page - 1, '‹ 上一页', { rel: 'prev' }),
    nums,
    link(page + 1, '下一页 ›', { rel: 'next' }),
    h('span', { class: 'pager-info' }, `第 ${page} / ${pages} 页，共 ${total} 条`));
}
