// items/ref.js - the reference data the ledger pages share: the ledgers with
// their field schemas (GET /ledgers), the unit tree (GET /units) and the routes
// the server offers (GET /openapi.json). Each is fetched once and kept for a
// minute, so moving between the list and an item costs no extra requests.

import { api } from '../api.js';
import { h } from '../ui.js';

const KEEP_MS = 60000;
const cache = new Map();

function once(key, load) {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < KEEP_MS) return hit.promise;
  const promise = load().catch((e) => {
    cache.delete(key);
    throw e;
  });
  cache.set(key, { at: Date.now(), promise });
  return promise;
}

/* The roles that read items: who may open the ledger pages. */
export const ITEM_ROLES = ['leader', 'supervisor', 'manager', 'staff', 'viewer'];

/* {list, byKey}: the ledgers in the server's order; byKey[key].fieldsByKey[fieldKey]. */
export function ledgers() {
  return once('ledgers', async () => {
    const j = await api.get('/ledgers');
    const byKey = {};
    for (const l of j.ledgers) {
      l.fieldsByKey = Object.fromEntries(l.fields.map((f) => [f.key, f]));
      byKey[l.key] = l;
    }
    return { list: j.ledgers, byKey };
  });
}

/*
 * {list, byId}: the units in tree order (each parent before its children,
 * siblings in the server's order), each with `depth` (0 for a root).
 */
export function units() {
  return once('units', async () => {
    const j = await api.get('/units');
    const byId = {};
    const children = new Map();
    for (const u of j.units) {
      byId[u.id] = u;
      const p = u.parent_id && j.units.some((x) => x.id === u.parent_id) ? u.parent_id : 0;
      if (!children.has(p)) children.set(p, []);
      children.get(p).push(u);
    }
    const list = [];
    const walk = (pid, depth) => {
      for (const u of children.get(pid) || []) {
        u.depth = depth;
        list.push(u);
        walk(u.id, depth + 1);
      }
    };
    walk(0, 0);
    return { list, byId };
  });
}

/* Does the server's OpenAPI description list this path (e.g. "/api/v1/ledgers/{ledger}/export.xlsx")? */
export async function hasApiPath(path) {
  try {
    const spec = await once('openapi', () => api.get('/openapi.json'));
    return !!(spec && spec.paths && spec.paths[path]);
  } catch (e) {
    return false;
  }
}

/* The name of a unit, or "单位 #id" when it is not in the tree. */
export function unitName(ref, id) {
  if (id === null || id === undefined) return '';
  return ref.byId[id]?.name || `单位 #${id}`;
}

/*
 * A <select> of the units in tree order, indented by depth. opts.empty: the
 * label of the "no unit" choice (absent: none offered).
 */
export function unitSelect(name, ref, value, opts = {}) {
  const options = [];
  if (opts.empty !== undefined) options.push(h('option', { value: '' }, opts.empty));
  for (const u of ref.list) {
    options.push(h('option', { value: u.id, selected: String(u.id) === String(value ?? '') },
      '\u3000'.repeat(u.depth) + u.name));
  }
  return h('select', { name, id: opts.id, class: opts.class, 'aria-label': opts.label }, options);
}
