// warmap/print.js - 打印通报: the war map's control that opens the bulletin of a
// period as a PDF (GET /api/v1/reports/bulletin.pdf) in a new tab.
//
// The period defaults to "this week" as the office prints it: on a Monday the
// week just ended (last Monday to Sunday), on any other day this Monday to
// today. Dates are the server's business dates (the dashboard's `today`), so
// a demo with a fixed date prints the demo's week.

import { h } from '../ui.js';

const DAY_MS = 86400000;

function iso(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/* The default period for today ("YYYY-MM-DD"): {from, to}. */
export function defaultWeek(today) {
  const t = Date.parse(`${today}T00:00:00Z`);
  const weekday = (new Date(t).getUTCDay() + 6) % 7; /* 0 = Monday */
  if (weekday === 0) return { from: iso(t - 7 * DAY_MS), to: iso(t - DAY_MS) };
  return { from: iso(t - weekday * DAY_MS), to: today };
}

export function bulletinHref(from, to) {
  const q = new URLSearchParams({ from, to, inline: '1' });
  return `/api/v1/reports/bulletin.pdf?${q}`;
}

/*
 * The control: two dates and a link. setToday(today) fills the default period
 * once (the user's own dates are kept on later refreshes).
 */
export function createBulletinControl() {
  const from = h('input', { type: 'date', 'aria-label': '通报起始日期', name: 'bulletin-from' });
  const to = h('input', { type: 'date', 'aria-label': '通报截止日期', name: 'bulletin-to' });
  const link = h('a', {
    class: 'button button-print', target: '_blank', rel: 'noopener', dataset: { bulletin: '1' },
    title: '按所选期间生成督查通报（PDF），在新标签页打开，可直接打印',
    onclick(e) {
      if (!from.value || !to.value || from.value > to.value) {
        e.preventDefault();
        to.setCustomValidity('截止日期不能早于起始日期');
        to.reportValidity();
        return;
      }
      e.currentTarget.href = bulletinHref(from.value, to.value);
    },
  }, '打印通报');
  const sync = () => {
    to.setCustomValidity('');
    if (from.value && to.value) link.href = bulletinHref(from.value, to.value);
  };
  from.addEventListener('change', sync);
  to.addEventListener('change', sync);
  const el = h('div', { class: 'bulletin-print', role: 'group', 'aria-label': '打印通报' },
    from, h('span', { class: 'sep' }, '至'), to, link);
  let filled = false;
  return {
    el,
    setToday(today) {
      if (filled || !today) return;
      filled = true;
      const w = defaultWeek(today);
      from.value = w.from;
      to.value = w.to;
      sync();
    },
  };
}
