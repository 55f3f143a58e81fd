// warmap/model.js - what the war map (挂图作战) and the 大屏 show, fetched in one
// go: the dashboard (counts, grid, due, trend), the per-unit scorecard, the
// red list, the located items and the unit names; and the links from every
// number to the items behind it (#/items?<the query of GET /api/v1/items>).

import { api } from '../api.js';

/* Statuses of the loop in which an item has a light (SPEC 2.5): "open" on the war map. */
export const OPEN = 'assigned,in_progress,submitted,ongoing';
/* Waiting for the lead unit: what "falls due" counts (GET /dashboard's due). */
export const WAITING = 'assigned,in_progress';

/* Short column names of the ledgers for the grid (the full names are in ui.js). */
export const LEDGER_SHORT = {
  rectification: '整改',
  reform: '改革',
  project: '项目',
  policy: '政策',
  eco_problem: '生态',
  risk_point: '风险点',
  hazard: '隐患',
  petition: '信访',
  livelihood: '民生',
  indicator: '指标',
};
export const LEDGER_ORDER = Object.keys(LEDGER_SHORT);

/* #/items?a=1&status=x,y: the list page's hash for these GET /items parameters. */
export function itemsHash(params) {
  const parts = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%2C/gi, ',')}`);
  }
  return parts.length ? `#/items?${parts.join('&')}` : '#/items';
}

/* "/api/v1/items?lead=3&status=closed" (the scorecard's drill-down) -> "#/items?lead=3&status=closed". */
export function hashOfApiList(path) {
  const i = path.indexOf('?');
  return i < 0 ? '#/items' : `#/items?${path.slice(i + 1)}`;
}

/* Links behind the counters of the totals. */
export const COUNTER_LINKS = {
  open: { status: OPEN },
  green: { status: OPEN, light: 'green' },
  yellow: { status: OPEN, light: 'yellow' },
  red: { status: OPEN, light: 'red' },
  closed: { status: 'closed' },
};

/* The worst light among counts {red, yellow, green, closed}: what a grid cell is coloured by. */
export function worstLight(c) {
  if (c.red > 0) return 'red';
  if (c.yellow > 0) return 'yellow';
  if (c.green > 0) return 'green';
  if (c.closed > 0) return 'done';
  return 'none';
}

/* closed ÷ (open + closed), or null. */
export function closeRate(t) {
  const all = (t.open || 0) + (t.closed || 0);
  return all ? t.closed / all : null;
}

/* Whole days from a to b ("YYYY-MM-DD"). */
export function daysBetween(a, b) {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86400000);
}

let unitsCache = null;

/* id -> unit, fetched once per page load (units change rarely; a reload refreshes them). */
export async function unitsById() {
  if (!unitsCache) {
    unitsCache = api.get('/units').then((j) => new Map(j.units.map((u) => [u.id, u])))
      .catch((e) => { unitsCache = null; throw e; });
  }
  return unitsCache;
}

/* The district's name: the root unit of kind district, else the first root. */
export function districtName(units) {
  const roots = [...units.values()].filter((u) => !u.parent_id);
  return (roots.find((u) => u.kind === 'district') || roots[0])?.name || '';
}

/* The located items are fetched again at most this often while changes arrive. */
export const LOCATED_MIN_MS = 10000;

/*
 * The located items the map draws, kept current from the live changes without
 * fetching them all on every change (with thousands of points that is the
 * heavy request): a change of a known item patches its light and status at
 * once; a change of any other item (which may have just got a location) marks
 * the list stale, and it is fetched again at most every LOCATED_MIN_MS.
 */
export function createLocated() {
  let byId = new Map();
  let items = [];
  let truncated = false;
  let stale = true;
  let fetchedAt = -Infinity;
  return {
    get items() { return items; },
    get truncated() { return truncated; },
    set(json) {
      items = json.items;
      truncated = !!json.truncated;
      byId = new Map(items.map((it) => [it.id, it]));
      stale = false;
      fetchedAt = Date.now();
    },
    apply(change) {
      const it = byId.get(change.id);
      if (it) {
        it.light = change.light;
        it.status = change.status;
      } else {
        stale = true;
      }
    },
    /* Whether to fetch now; else the ms to wait before a fetch is due (null: none needed). */
    fetchNow() { return stale && Date.now() - fetchedAt >= LOCATED_MIN_MS; },
    waitMs() { return stale ? Math.max(0, LOCATED_MIN_MS - (Date.now() - fetchedAt)) : null; },
  };
}

/*
 * Everything the war map shows: {dash, scorecard, red: {items, total}, located, units}.
 * scorecard, located: whether to fetch those too (the 大屏 skips the scorecard).
 */
export async function loadAll({ scorecard = true, located = true, redCount = 10 } = {}) {
  const [dash, sc, red, loc, units] = await Promise.all([
    api.get('/dashboard'),
    scorecard ? api.get('/dashboard/units') : null,
    api.get('/items' + api.query({ light: 'red', status: OPEN, sort: 'deadline', per_page: redCount })),
    located ? api.get('/map/items') : null,
    unitsById(),
  ]);
  return { dash, scorecard: sc, red, located: loc, units };
}
