// tools/units.js - the unit tree as the tool pages need it: one GET /units per
// session (dropped again after the admin changes a unit), names by id, the
// children of each unit, and the tree flattened in display order with depths.

import { api } from '../api.js';

let cached = null;

export const UNIT_KINDS = {
  district: '区（县）',
  department: '部门',
  street: '街道',
  town: '镇',
  community: '社区',
  village: '村',
  enterprise: '企业/场所',
};

/* Builds the lookups of a flat unit list. */
function index(units) {
  const byId = new Map(units.map((u) => [u.id, u]));
  const children = new Map();
  const roots = [];
  for (const u of units) {
    if (u.parent_id && byId.has(u.parent_id)) {
      if (!children.has(u.parent_id)) children.set(u.parent_id, []);
      children.get(u.parent_id).push(u);
    } else {
      roots.push(u);
    }
  }
  const ordered = [];
  const walk = (u, depth) => {
    ordered.push({ unit: u, depth });
    for (const c of children.get(u.id) || []) walk(c, depth + 1);
  };
  roots.forEach((r) => walk(r, 0));
  return {
    list: units,
    byId,
    roots,
    children: (id) => children.get(id) || [],
    ordered,
    name: (id) => byId.get(id)?.name || (id ? `单位 ${id}` : ''),
    /* the ids of u and every unit below it */
    subtree(id) {
      const out = [];
      const go = (x) => {
        out.push(x);
        (children.get(x) || []).forEach((c) => go(c.id));
      };
      go(id);
      return out;
    },
  };
}

/* The unit tree (cached); loadUnits(true) reads it again. */
export async function loadUnits(fresh = false) {
  if (!cached || fresh) {
    cached = api.get('/units').then((j) => index(j.units || []));
    cached.catch(() => { cached = null; });
  }
  return cached;
}

export function forgetUnits() {
  cached = null;
}
