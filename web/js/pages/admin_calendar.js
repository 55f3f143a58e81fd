// admin_calendar.js - 工作日历 (#/admin/calendar?year=2026, role admin): the
// year's statutory holidays (休) and adjusted working weekend days (调休上班, 班)
// as two editable lists, saved as a whole year (PUT /calendar/{year}); beside
// them the twelve months as small grids marking 休 and 班, redrawn as the lists
// are edited. Deadlines and lights count working days from this calendar; a
// year without data falls back to Monday–Friday, which the page says plainly.

import { api } from '../api.js';
import { renderGuard } from '../tools/alive.js';
import { h, fill, toast } from '../ui.js';
import { adminHead } from '../tools/admin_tabs.js';
import { formError, clearErrors } from '../tools/form_error.js';

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

function iso(y, m, d) {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/* Monday = 0 … Sunday = 6, for a date in UTC (no time zone can shift it). */
function weekday(y, m, d) {
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

function daysIn(y, m) {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function monthGrid(year, month, holidays, workdays) {
  const cells = [];
  for (let i = 0; i < weekday(year, month, 1); i++) cells.push(h('span', { class: 'day pad' }));
  for (let d = 1; d <= daysIn(year, month); d++) {
    const date = iso(year, month, d);
    const wd = weekday(year, month, d);
    const hol = holidays.get(date);
    const work = workdays.get(date);
    let cls = 'day';
    let mark = null;
    let title = `${month}月${d}日 星期${WEEKDAYS[wd]}`;
    if (hol !== undefined) {
      cls += ' holiday';
      mark = '休';
      title += `：${hol || '法定节假日'}`;
    } else if (work !== undefined) {
      cls += ' workday';
      mark = '班';
      title += `：${work || '调休上班'}`;
    } else if (wd >= 5) {
      cls += ' weekend';
    }
    cells.push(h('span', { class: cls, title, dataset: { date } },
      h('span', { class: 'd' }, String(d)), mark ? h('span', { class: 'mark' }, mark) : null));
  }
  return h('div', { class: 'month' },
    h('h3', {}, `${month}月`),
    h('div', { class: 'month-days', role: 'img', 'aria-label': `${year}年${month}月` },
      WEEKDAYS.map((w, i) => h('span', { class: `wd${i >= 5 ? ' we' : ''}` }, w)), cells));
}

/* An editable list of {date, name} rows, with a "from–to" adder for a run of days. */
function dayList(kind, title, rows, year, onChange) {
  const body = h('tbody');
  const table = h('table', { class: 'data day-list' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '日期'), h('th', { scope: 'col' }, '名称'), h('th', {}, h('span', { class: 'visually-hidden' }, '操作')))),
    body);
  const addRow = (date = '', name = '') => {
    const wd = h('span', { class: 'wd-label' });
    const dateInput = h('input', {
      value: date, class: 'mono', maxlength: 10, placeholder: `${year}-01-01`, inputmode: 'numeric',
      'aria-label': `${title}日期（年-月-日）`,
    });
    const showWeekday = () => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateInput.value.trim());
      wd.textContent = m ? `周${WEEKDAYS[weekday(+m[1], +m[2], +m[3])]}` : '';
    };
    dateInput.addEventListener('input', showWeekday);
    showWeekday();
    const tr = h('tr', {},
      h('td', { class: 'date-cell' }, dateInput, wd),
      h('td', {}, h('input', { value: name, maxlength: 64, 'aria-label': `${title}名称`, placeholder: kind === 'holidays' ? '如：春节' : '如：春节调休上班' })),
      h('td', {}, h('button', {
        type: 'button', class: 'small', 'aria-label': `删除 ${date || '此日'}`,
        onclick: () => { tr.remove(); onChange(); },
      }, '删除')));
    body.append(tr);
    return tr;
  };
  rows.forEach((r) => addRow(r.date, r.name));
  body.addEventListener('input', onChange);
  const from = h('input', { class: 'mono', maxlength: 10, placeholder: '起：年-月-日', 'aria-label': `添加${title}：起始日期（年-月-日）` });
  const to = h('input', { class: 'mono', maxlength: 10, placeholder: '止（可不填）', 'aria-label': `添加${title}：结束日期（可不填）` });
  const name = h('input', { maxlength: 64, 'aria-label': `添加${title}：名称`, placeholder: '名称' });
  const addError = h('p', { class: 'add-error', role: 'alert', hidden: true });
  const add = () => {
    const start = from.value.trim();
    const stop = to.value.trim() || start;
    addError.hidden = true;
    if (!validDate(start, year) || !validDate(stop, year)) {
      addError.textContent = `请按“${year}-10-01”的格式填写 ${year} 年内的日期`;
      addError.hidden = false;
      (validDate(start, year) ? to : from).focus();
      return;
    }
    const end = stop >= start ? stop : start;
    const d = new Date(start + 'T00:00:00Z');
    const have = new Set([...body.querySelectorAll('td.date-cell input')].map((i) => i.value.trim()));
    let n = 0;
    while (n < 31) {
      const s = d.toISOString().slice(0, 10);
      if (s > end) break;
      if (!have.has(s)) addRow(s, name.value.trim());
      d.setUTCDate(d.getUTCDate() + 1);
      n++;
    }
    sortRows(body);
    body.closest('.day-scroll').scrollTop = 0;
    from.value = '';
    to.value = '';
    onChange();
  };
  return h('section', { class: 'card day-card', 'data-field': kind, dataset: { kind } },
    h('h2', {}, title, h('span', { class: `legend-mark ${kind === 'holidays' ? 'holiday' : 'workday'}` }, kind === 'holidays' ? '休' : '班')),
    h('div', { class: 'day-scroll' }, table),
    h('div', { class: 'day-add' },
      from, h('span', {}, '至'), to, name,
      h('button', { type: 'button', onclick: add }, '添加')),
    addError,
    h('small', { class: 'hint' }, '日期按“年-月-日”填写；连续多天可填起止日期一次添加（最多 31 天）。'));
}

/* "2026-10-01", a real day of the year. */
function validDate(s, year) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return !!m && +m[1] === year && +m[2] >= 1 && +m[2] <= 12 && +m[3] >= 1 && +m[3] <= daysIn(year, +m[2]);
}

function sortRows(body) {
  [...body.rows].sort((a, b) => (a.querySelector('input').value || '9').localeCompare(b.querySelector('input').value || '9'))
    .forEach((r) => body.append(r));
}

function readList(card) {
  return [...card.querySelectorAll('tbody tr')].map((tr) => {
    const [date, name] = tr.querySelectorAll('input');
    return { date: date.value.trim(), name: name.value.trim() };
  }).filter((r) => r.date);
}

export default {
  name: 'admin-calendar',
  path: /^#\/admin\/calendar(?:\?year=(\d{4}))?$/,
  title: '工作日历',
  roles: ['admin'],

  async render(main, match) {
    const year = match[1] ? Number(match[1]) : new Date().getFullYear();
    const alive = renderGuard(main);
    const cal = await api.get(`/calendar/${year}`);
    if (!alive()) return;
    let dirty = false;
    const grids = h('div', { class: 'months' });
    const stateLine = h('span', { class: 'save-state', 'aria-live': 'polite' });
    const form = h('form', { class: 'calendar-form', novalidate: true });

    const redraw = () => {
      const hol = new Map(readList(holCard).map((r) => [r.date, r.name]));
      const work = new Map(readList(workCard).map((r) => [r.date, r.name]));
      fill(grids, Array.from({ length: 12 }, (_, i) => monthGrid(year, i + 1, hol, work)));
      summary.textContent = `法定节假日 ${hol.size} 天 · 调休上班 ${work.size} 天`;
    };
    const changed = () => {
      dirty = true;
      stateLine.textContent = '有未保存的修改';
      stateLine.className = 'save-state dirty';
      redraw();
    };
    const summary = h('span', { class: 'summary' });
    const holCard = dayList('holidays', '法定节假日', cal.holidays, year, changed);
    const workCard = dayList('workdays', '调休上班日', cal.workdays, year, changed);

    const years = [];
    for (let y = year - 3; y <= year + 3; y++) years.push(y);
    const yearSel = h('select', { id: 'cal-year', onchange: () => { location.hash = `#/admin/calendar?year=${yearSel.value}`; } },
      years.map((y) => h('option', { value: y, selected: y === year }, `${y}年`)));

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      const holidays = readList(holCard);
      const workdays = readList(workCard);
      /* the server checks all of this too; saying it here keeps the user's place */
      const hol = new Set();
      for (const r of holidays) {
        if (!validDate(r.date, year)) return formError(form, { field: 'holidays', text: `“${r.date}”不是 ${year} 年内的日期（格式：${year}-10-01）` });
        if (hol.has(r.date)) return formError(form, { field: 'holidays', text: `${r.date} 重复了` });
        hol.add(r.date);
      }
      for (const r of workdays) {
        if (!validDate(r.date, year)) return formError(form, { field: 'workdays', text: `“${r.date}”不是 ${year} 年内的日期（格式：${year}-10-01）` });
        if (hol.has(r.date)) return formError(form, { field: 'workdays', text: `${r.date} 已是法定节假日，不能同时为调休上班日` });
      }
      const button = form.querySelector('button[type=submit]');
      button.disabled = true;
      try {
        await api.put(`/calendar/${year}`, { year, holidays, workdays });
        dirty = false;
        stateLine.textContent = '已保存';
        stateLine.className = 'save-state saved';
        toast(`${year} 年工作日历已保存，期限和亮灯将按新日历计算`);
        status.replaceWith(status = statusBox(true));
      } catch (err) {
        formError(form, err);
      } finally {
        button.disabled = false;
      }
      return undefined;
    });

    const statusBox = (complete) => (complete
      ? h('p', { class: 'notice ok' }, `${year} 年节假日安排已录入。计算期限时扣除法定节假日、计入调休上班日。`)
      : h('p', { class: 'notice warn' }, `${year} 年尚无节假日数据：目前按周一至周五计算工作日。国务院办公厅公布该年节假日安排后，请在此录入。`));
    let status = statusBox(cal.complete);

    fill(form,
      h('div', { class: 'calendar-bar' },
        h('button', { type: 'button', class: 'small', 'aria-label': '上一年', onclick: () => { location.hash = `#/admin/calendar?year=${year - 1}`; } }, '‹'),
        h('label', { for: 'cal-year', class: 'visually-hidden' }, '年份'), yearSel,
        h('button', { type: 'button', class: 'small', 'aria-label': '下一年', onclick: () => { location.hash = `#/admin/calendar?year=${year + 1}`; } }, '›'),
        summary,
        h('span', { class: 'spacer' }),
        stateLine,
        h('button', { type: 'submit', class: 'primary' }, `保存 ${year} 年日历`)),
      h('div', { class: 'calendar-grid' },
        h('div', { class: 'day-lists' }, holCard, workCard),
        h('section', { class: 'card' },
          h('div', { class: 'section-head' },
            h('h2', {}, `${year} 年月历`),
            h('p', { class: 'legend' },
              h('span', { class: 'legend-mark holiday' }, '休'), ' 法定节假日　',
              h('span', { class: 'legend-mark workday' }, '班'), ' 调休上班　',
              h('span', { class: 'legend-mark weekend' }, '六'), ' 周末')),
          grids)));

    main.append(
      adminHead('#/admin/calendar', '工作日历', '法定节假日和调休上班日决定“N 个工作日”的期限和临期黄灯。数据来自国务院办公厅每年发布的节假日安排。'),
      status, form);
    redraw();
    this.dispose = () => {
      if (dirty) toast('工作日历有未保存的修改，已放弃', 'error');
    };
  },
};
