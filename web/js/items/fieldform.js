// items/fieldform.js - inputs for a ledger's kind-specific fields, built from
// the field schema of GET /ledgers: text and long text, enums as selects,
// dates, numbers (money in 万元), yes/no, lists as one entry per line, and
// small row editors for milestones and approval checklists. Every input is
// named by the field's key, which is what the API's 422 names in `field`, so
// showError() can put the message next to it.

import { h } from '../ui.js';

const APPROVAL_STATES = ['已取得', '办理中', '未办理', '不适用'];

function labelled(f, input, hint) {
  return h('label', { class: 'field', dataset: { key: f.key } },
    h('span', { class: 'label' }, f.label, f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    input, hint ? h('small', { class: 'hint' }, hint) : null);
}

function rowEditor(f, rows, columns, addLabel) {
  const body = h('div', { class: 'rows' });
  const addRow = (r = {}) => {
    const cells = columns.map((c) => {
      const attrs = { 'data-col': c.key, 'aria-label': c.label, placeholder: c.placeholder };
      if (c.type === 'checkbox') {
        return h('label', { class: 'check' }, h('input', { type: 'checkbox', ...attrs, checked: !!r[c.key] }), c.label);
      }
      if (c.options) {
        return h('select', attrs, h('option', { value: '' }, c.label),
          c.options.map((o) => h('option', { value: o, selected: r[c.key] === o }, o)));
      }
      return h('input', { type: c.type || 'text', ...attrs, value: r[c.key] ?? '' });
    });
    const row = h('div', { class: 'row-edit' }, cells,
      h('button', { type: 'button', class: 'link', onclick: () => row.remove(), 'aria-label': '删除此行' }, '删除'));
    body.append(row);
    return row;
  };
  for (const r of rows || []) addRow(r);
  return h('fieldset', { class: 'field rows-field', name: f.key, dataset: { key: f.key, kind: f.type } },
    h('legend', { class: 'label' }, f.label),
    body,
    h('button', { type: 'button', class: 'small', onclick: () => addRow().querySelector('input, select')?.focus() },
      addLabel));
}

/* The labelled input of one field, holding value. */
export function fieldInput(f, value) {
  const name = f.key;
  switch (f.type) {
    case 'enum':
      return labelled(f, h('select', { name }, h('option', { value: '' }, '（未选择）'),
        (f.values || []).map((v) => h('option', { value: v, selected: v === value }, v))));
    case 'bool':
      return labelled(f, h('select', { name, dataset: { type: 'bool' } },
        h('option', { value: '' }, '（未选择）'),
        h('option', { value: 'true', selected: value === true }, '是'),
        h('option', { value: 'false', selected: value === false }, '否')));
    case 'date':
      return labelled(f, h('input', { type: 'date', name, value: value || '' }));
    case 'money':
      return labelled(f, h('span', { class: 'suffixed' },
        h('input', { type: 'number', name, step: 'any', min: 0, value: value ?? '', inputmode: 'decimal' }),
        h('span', { class: 'suffix' }, '万元')));
    case 'decimal':
    case 'integer':
      return labelled(f, h('input', {
        type: 'number', name, value: value ?? '', step: f.type === 'integer' ? 1 : 'any',
        min: f.min, max: f.max, inputmode: f.type === 'integer' ? 'numeric' : 'decimal',
      }));
    case 'long_text':
      return labelled(f, h('textarea', { name, rows: 2 }, value || ''));
    case 'list':
      return labelled(f, h('textarea', { name, rows: 2, dataset: { type: 'list' } },
        Array.isArray(value) ? value.join('\n') : ''), '每行一条');
    case 'milestones':
      return rowEditor(f, value, [
        { key: 'name', label: '节点名称', placeholder: '节点名称' },
        { key: 'due', label: '计划完成日期', type: 'date' },
        { key: 'done', label: '已完成', type: 'checkbox' },
      ], '添加节点');
    case 'checklist':
      return rowEditor(f, value, [
        { key: 'name', label: '手续名称', placeholder: '手续名称' },
        { key: 'status', label: '状态', options: APPROVAL_STATES },
        { key: 'date', label: '日期', type: 'date' },
        { key: 'doc_no', label: '文号', placeholder: '文号' },
      ], '添加手续');
    default:
      return labelled(f, h('input', { type: 'text', name, value: value ?? '' }));
  }
}

function readRows(fs, f) {
  const rows = [];
  for (const row of fs.querySelectorAll('.row-edit')) {
    const r = {};
    for (const el of row.querySelectorAll('[data-col]')) {
      const k = el.dataset.col;
      if (el.type === 'checkbox') r[k] = el.checked;
      else if (el.value.trim() !== '') r[k] = el.value.trim();
    }
    const filled = Object.entries(r).some(([k, v]) => k !== 'done' && v !== '');
    if (filled) rows.push(f.type === 'milestones' ? { name: r.name || '', due: r.due, done: !!r.done } : r);
  }
  return rows;
}

/* The values of a ledger's (non-computed) fields in form, skipping the ones left empty. */
export function readFields(form, ledger) {
  const out = {};
  for (const f of ledger.fields) {
    if (f.computed) continue;
    const el = form.querySelector(`[name="${CSS.escape(f.key)}"]`);
    if (!el) continue;
    let v;
    if (f.type === 'milestones' || f.type === 'checklist') {
      v = readRows(el, f);
      if (!v.length) continue;
    } else {
      const raw = el.value.trim();
      if (raw === '') continue;
      if (f.type === 'bool') v = raw === 'true';
      else if (f.type === 'list') v = raw.split('\n').map((s) => s.trim()).filter(Boolean);
      else if (['money', 'decimal', 'integer'].includes(f.type)) v = Number(raw);
      else v = raw;
    }
    out[f.key] = v;
  }
  return out;
}
