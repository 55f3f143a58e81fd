// pages/index.js - every page of the UI, in the order of the header's navigation.
// A page module's shape is described in app.js.

import signin from './signin.js';
import warmap from './warmap.js';
import screen from './screen.js';
import risk from './risk.js';
import search from './search.js';
import scorecard from './scorecard.js';
import admin from './admin.js';
import adminUnits from './admin_units.js';
import adminUsers from './admin_users.js';
import adminCalendar from './admin_calendar.js';
import adminMap from './admin_map.js';
import adminNotify from './admin_notify.js';
import audit from './audit.js';
import items from './items.js';
import itemNew from './item-new.js';
import item from './item.js';
import todos from './todos.js';

function page(p) {
  // the href the header links to: the path pattern's literal start
  p.href = p.href || p.path.source.replace(/^\^/, '').replace(/\\\//g, '/').replace(/[($].*$/, '');
  return p;
}

export default [
  signin,
  warmap,
  todos,
  screen,
  items,
  itemNew,
  item,
  risk,
  search,
  scorecard,
  admin,
  adminUnits,
  adminUsers,
  adminCalendar,
  adminMap,
  adminNotify,
  audit,
].map(page);
