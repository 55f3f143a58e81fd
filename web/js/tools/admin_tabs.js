// tools/admin_tabs.js - the head of the 管理 pages (system administrator only,
// 三员分立: units, users, the working calendar, the map's boundary and the
// notification channels, never items or the audit log): the title and the
// tabs between those pages.

import { h } from '../ui.js';

const TABS = [
  ['#/admin/units', '单位'],
  ['#/admin/users', '用户'],
  ['#/admin/calendar', '工作日历'],
  ['#/admin/map', '地图边界'],
  ['#/admin/notify', '通知渠道'],
];

export function adminHead(current, title, sub) {
  return h('div', { class: 'page-head admin-head' },
    h('div', {},
      h('h1', {}, title),
      sub ? h('p', { class: 'sub' }, sub) : null),
    h('nav', { class: 'tabs', 'aria-label': '系统管理' },
      TABS.map(([href, label]) => h('a', {
        href, class: href === current ? 'active' : null, 'aria-current': href === current ? 'page' : null,
      }, label))));
}
