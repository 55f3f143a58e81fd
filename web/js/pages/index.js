// pages/index.js - every page of the UI, in the order of the header's navigation.
// A page module's shape is described in app.js.

import signin from './signin.js';
import items from './items.js';
import itemNew from './item-new.js';
import item from './item.js';

function page(p) {
  // the href the header links to: the path pattern's literal start
  p.href = p.href || p.path.source.replace(/^\^/, '').replace(/\\\//g, '/').replace(/[($].*$/, '');
  return p;
}

export default [signin, items, itemNew, item].map(page);
