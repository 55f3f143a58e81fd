// app.js - the shell of the web UI: who is signed in, the header and its
// navigation, and a hash router that renders one page at a time into <main>.
//
// A page module (js/pages/*.js) exports a default object:
//   { path: /^#\/items\/(\d+)$/,  // matched against location.hash
//     title: '事项',               // the document title and the nav label
//     nav: true,                   // listed in the header (with `roles`, only for those roles)
//     roles: ['supervisor'],       // who may open it (absent: everyone signed in)
//     bare: false,                 // true: no header (sign-in, 大屏)
//     render(view, match, ctx),    // builds the page into its own view element; may be async
//     onLive(change, ctx),         // a change pushed by the server (js/live.js)
//     navBadge(link, ctx),         // optional: decorates its header link (e.g. a count)
//     dispose() }                  // called when the page is left
// ctx = { me: {user, unit, roles}, go(hash), refresh() }.

import { api, setUnauthorizedHandler } from './api.js';
import { h, fill, ROLE_NAMES } from './ui.js';
import { live } from './live.js';
import pages from './pages/index.js';

const main = document.getElementById('main');
const top = document.getElementById('top');

const ctx = {
  me: null,
  go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
  refresh: () => route(),
  hasRole(...roles) {
    return !!ctx.me && roles.some((r) => ctx.me.roles.includes(r));
  },
};

let current = null;

function allowed(page) {
  return !page.roles || ctx.hasRole(...page.roles);
}

/* The page a signed-in user starts on. */
function home() {
  if (ctx.hasRole('leader', 'supervisor')) return '#/map';
  if (ctx.hasRole('auditor') && !ctx.hasRole('manager', 'staff', 'viewer')) return '#/audit';
  if (ctx.hasRole('admin') && !ctx.hasRole('manager', 'staff', 'viewer')) return '#/admin/units';
  return '#/items';
}

function header() {
  const links = pages.filter((p) => p.nav && allowed(p)).map((p) => {
    const a = h('a', { href: p.href, class: location.hash.startsWith(p.href) ? 'active' : null }, p.title);
    p.navBadge?.(a, ctx);
    return a;
  });
  const who = ctx.me.user;
  fill(top,
    h('a', { class: 'brand', href: home() }, h('img', { src: '/img/logo.svg', alt: '' }), '台账'),
    h('nav', { 'aria-label': '主导航' }, links),
    h('div', { class: 'who' },
      h('span', { class: 'live-dot', title: '实时更新' }),
      h('span', {}, `${who.display_name || who.username}（${ctx.me.unit?.name || ''}·${
        ctx.me.roles.map((r) => ROLE_NAMES[r] || r).join('、')}）`),
      h('button', { type: 'button', class: 'link', onclick: signOut }, '退出')));
  top.hidden = false;
  live.paint();
}

async function signOut() {
  live.stop();
  await api.logout().catch(() => {});
  ctx.me = null;
  location.hash = '#/signin';
}

async function route() {
  const hash = location.hash || '#/';
  if (current?.dispose) current.dispose();
  current = null;
  if (!ctx.me && hash !== '#/signin') {
    try {
      ctx.me = await api.get('/me', { quiet401: true });
      live.start(ctx, (change) => current?.onLive?.(change, ctx));
    } catch (e) {
      location.hash = '#/signin';
      return;
    }
  }
  if (hash === '#/' || hash === '#') {
    location.hash = home();
    return;
  }
  let page = null;
  let match = null;
  for (const p of pages) {
    match = p.path.exec(hash);
    if (match) {
      page = p;
      break;
    }
  }
  document.body.classList.toggle('bare', !!page?.bare);
  if (page?.bare || !ctx.me) top.hidden = true;
  else header();
  if (!page || !allowed(page)) {
    fill(main, h('section', { class: 'empty' }, h('h1', {}, '页面不存在'),
      h('p', {}, '没有这个页面，或您无权查看。'), h('a', { href: home() }, '返回首页')));
    document.title = '台账';
    return;
  }
  current = page;
  document.title = `${page.title} · 台账`;
  // each visit renders into a view of its own: a page still loading when the user moves on
  // finishes into its detached view, never into the next page
  const view = h('div', { class: 'view' });
  fill(main, view);
  main.className = `page page-${page.name || ''}`;
  try {
    await page.render(view, match, ctx);
  } catch (e) {
    if (e.status === 401 || !view.isConnected) return;
    fill(view, h('section', { class: 'empty' }, h('h1', {}, '无法打开'), h('p', { role: 'alert' },
      e.text || String(e))));
  }
}

/* After signing in, the sign-in page calls this with /me's answer. */
export function signedIn(me) {
  ctx.me = me;
  live.start(ctx, (change) => current?.onLive?.(change, ctx));
  location.hash = home();
}

setUnauthorizedHandler(() => {
  ctx.me = null;
  live.stop();
  if (location.hash !== '#/signin') location.hash = '#/signin';
});

window.addEventListener('hashchange', route);
route();
