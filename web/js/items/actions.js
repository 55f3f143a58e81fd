// items/actions.js - 办理: exactly the actions of the item's `actions` array
// (what the server says the signed-in user may try now), each a button that
// opens its own small form: a comment, the progress of a report, the deadline
// of an assignment or an extension, the report cadence of 长期坚持. Forms are
// kept while the item reloads, so nothing typed is lost; `version` is taken
// from the item at the moment of sending. An assignment whose lead unit or
// deadline differs from the draft's first saves them (PATCH), then assigns.

import { api } from '../api.js';
import { h, fill, showError, clearErrors, toast, fmtDate, ACTION_NAMES } from '../ui.js';
import { unitSelect } from './ref.js';
import { explain } from './messages.js';

/*
 * Per action: the fields of its form, the label of the comment (with * when the
 * API requires one), and the words of its submit button.
 */
const SPECS = {
  assign: { fields: ['lead_unit_id', 'deadline'], comment: '交办意见', submit: '确认交办' },
  accept: { comment: '签收说明', submit: '确认签收' },
  object: { comment: '异议理由', need: true, submit: '退回督查室' },
  report: { fields: ['progress'], comment: '进展情况', need: true, submit: '报送' },
  submit: { fields: ['checklist'], comment: '申请说明', submit: '确认申请销号' },
  verify: { comment: '验收意见', need: true, submit: '验收通过，销号' },
  keep_ongoing: { fields: ['report_every_days'], comment: '意见', need: true, submit: '转为长期坚持' },
  reject: { comment: '退回理由', need: true, submit: '退回整改' },
  request_extension: { fields: ['deadline'], deadlineLabel: '申请延期至', comment: '延期理由', need: true, submit: '提交延期申请' },
  approve_extension: { fields: ['deadline'], deadlineLabel: '批准的办结时限', comment: '意见', submit: '批准延期' },
  deny_extension: { comment: '驳回理由', submit: '驳回延期' },
  remind: { comment: '催办意见', submit: '发出催办' },
  supervise: { comment: '督办意见', submit: '确认督办' },
  reopen: { fields: ['deadline'], deadlineLabel: '新的办结时限', comment: '反弹情况', need: true, submit: '重新办理' },
  cancel: { comment: '撤销理由', need: true, submit: '确认撤销' },
  instruct: { comment: '批示内容', need: true, submit: '发送批示' },
};

/* Actions that close or turn the loop get the primary colour. */
const PRIMARY = new Set(['assign', 'accept', 'report', 'submit', 'verify', 'approve_extension', 'instruct']);

function labelOf(text, need) {
  return h('span', { class: 'label' }, text, need ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null);
}

function formFor(action, item, ctx) {
  const spec = SPECS[action] || { comment: '意见', submit: ACTION_NAMES[action] || action };
  const parts = [];
  for (const f of spec.fields || []) {
    if (f === 'lead_unit_id') {
      parts.push(h('label', { class: 'field' }, labelOf('牵头单位', true),
        unitSelect('lead_unit_id', ctx.units, item.lead_unit_id, { empty: '（请选择）' })));
    } else if (f === 'deadline') {
      const value = action === 'assign' ? item.deadline : action === 'approve_extension' ? item.extension?.deadline : '';
      parts.push(h('label', { class: 'field' }, labelOf(spec.deadlineLabel || '办结时限', action !== 'approve_extension'),
        h('input', { type: 'date', name: 'deadline', value: value || '' }),
        action === 'request_extension' && item.deadline ? h('small', { class: 'hint' }, `当前办结时限：${fmtDate(item.deadline)}，须在到期前申请`) : null,
        action === 'approve_extension' && item.extension ? h('small', { class: 'hint' }, `申请延期至 ${fmtDate(item.extension.deadline)}；可批准该日期或更晚的日期`) : null));
    } else if (f === 'progress') {
      const num = h('input', { type: 'number', name: 'progress', min: 0, max: 100, step: 1, value: item.progress, inputmode: 'numeric' });
      const range = h('input', { type: 'range', min: 0, max: 100, step: 5, value: item.progress, 'aria-label': '拖动调整进度', tabindex: -1 });
      range.addEventListener('input', () => { num.value = range.value; num.dispatchEvent(new Event('input', { bubbles: true })); });
      num.addEventListener('input', () => { range.value = num.value; });
      parts.push(h('label', { class: 'field' }, labelOf('进度（%）'), h('div', { class: 'progress-input' }, num, range),
        ctx.isLead === false ? h('small', { class: 'hint' }, '配合单位报送的进度只记在本次进展中，不改变事项进度') : null));
    } else if (f === 'report_every_days') {
      parts.push(h('label', { class: 'field' }, labelOf('报告周期（天）', true),
        h('input', { type: 'number', name: 'report_every_days', min: 1, step: 1, value: 30, inputmode: 'numeric' })));
    } else if (f === 'checklist') {
      const n = item.attachments.length;
      parts.push(h('ul', { class: 'checklist', dataset: { field: 'checklist' } },
        h('li', { class: item.progress === 100 ? 'ok' : 'no' }, `进度 ${item.progress}%`, item.progress === 100 ? '' : '（须达到 100%）'),
        h('li', { class: n ? 'ok' : 'no' }, n ? `佐证材料 ${n} 份` : '尚无佐证材料（须至少一份）')));
    }
  }
  parts.push(h('label', { class: 'field' }, labelOf(spec.comment, spec.need),
    h('textarea', { name: 'comment', rows: 3 })));
  const form = h('form', { class: 'action-form', novalidate: true, dataset: { action } },
    h('h3', {}, ACTION_NAMES[action] || action),
    parts,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: PRIMARY.has(action) ? 'primary' : null }, spec.submit),
      h('button', { type: 'button', class: 'link', dataset: { close: '1' } }, '收起')));
  form.addEventListener('input', () => { form.dataset.dirty = '1'; });
  form.commentLabel = spec.comment;
  form.deadlineLabel = spec.deadlineLabel || '办结时限';
  return form;
}

function bodyOf(action, form) {
  const body = { action };
  const el = form.elements;
  const comment = el.comment.value;
  if (comment.trim() !== '') body.comment = comment;
  if (el.progress && el.progress.value !== '') body.progress = Number(el.progress.value);
  if (el.deadline && el.deadline.value !== '' && action !== 'assign') body.deadline = el.deadline.value;
  if (el.report_every_days && el.report_every_days.value !== '') body.report_every_days = Number(el.report_every_days.value);
  return body;
}

/*
 * The 办理 panel. ctx: {units, me, getItem() (the item as last loaded),
 * applied(item) (after an accepted action), conflict() (reload after a 409
 * version_conflict; resolves when done), gone() (the item is no longer visible)}.
 * Returns {el, update(item), dirty()}.
 */
export function actionPanel(ctx) {
  const buttons = h('div', { class: 'action-buttons', role: 'group', 'aria-label': '可进行的操作' });
  const formBox = h('div', { class: 'action-form-box' });
  const forms = new Map();
  let open = null;

  async function send(action, form) {
    clearErrors(form);
    const submitBtn = form.querySelector('button[type=submit]');
    submitBtn.disabled = true;
    const label = (k) => (k === 'comment' ? form.commentLabel : k === 'deadline' ? form.deadlineLabel : null);
    try {
      let item = ctx.getItem();
      if (action === 'assign') {
        const patch = {};
        const lead = form.elements.lead_unit_id.value;
        const deadline = form.elements.deadline.value;
        if (lead && Number(lead) !== item.lead_unit_id) patch.lead_unit_id = Number(lead);
        if (deadline && deadline !== item.deadline) patch.deadline = deadline;
        if (Object.keys(patch).length) {
          item = await api.patch(`/items/${item.id}`, { ...patch, version: item.version });
          ctx.applied(item, { quiet: true });
        }
      }
      const done = await api.post(`/items/${item.id}/actions`, { ...bodyOf(action, form), version: item.version });
      forms.delete(action);
      open = null;
      fill(formBox);
      toast(`已${ACTION_NAMES[action] || action}`);
      await ctx.applied(done);
    } catch (err) {
      if (err.status === 404) return ctx.gone();
      // someone else changed the item: load it again; this form and its text stay as they are
      if (err.code === 'version_conflict') await ctx.conflict();
      showError(form, explain(err, { label, item: ctx.getItem() }));
    } finally {
      submitBtn.disabled = false;
    }
  }

  function show(action) {
    const item = ctx.getItem();
    if (open === action) return;
    open = action;
    let form = forms.get(action);
    if (!form) {
      form = formFor(action, item, { units: ctx.units, isLead: ctx.isLead?.(item) });
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        send(action, form);
      });
      form.querySelector('[data-close]').addEventListener('click', () => {
        open = null;
        fill(formBox);
        renderButtons(ctx.getItem());
        buttons.querySelector(`[data-action="${action}"]`)?.focus();
      });
      forms.set(action, form);
    }
    fill(formBox, form);
    renderButtons(item);
    (form.querySelector('textarea, input:not([type=range]), select'))?.focus();
  }

  function renderButtons(item) {
    const acts = item.actions || [];
    fill(buttons, acts.length ? acts.map((a) => h('button', {
      type: 'button', class: `act${PRIMARY.has(a) ? ' act-primary' : ''}`, dataset: { action: a },
      'aria-expanded': open === a ? 'true' : 'false', onclick: () => show(a),
    }, ACTION_NAMES[a] || a)) : h('p', { class: 'muted' }, '您当前对该事项没有可进行的操作。'));
  }

  return {
    el: h('div', { class: 'action-panel' }, buttons, formBox),
    update(item) {
      renderButtons(item);
      // a form whose action is no longer offered stays (its text is not lost) but cannot be sent
      if (open) {
        const form = forms.get(open);
        const gone = !(item.actions || []).includes(open);
        form.querySelector('button[type=submit]').disabled = gone;
        form.querySelector('.gone-note')?.remove();
        if (gone) {
          form.prepend(h('p', { class: 'field-error gone-note', role: 'alert' },
            '事项状态已变化，此操作当前已不可用；您填写的内容仍保留在此。'));
        }
        const list = form.querySelector('[data-field=checklist]');
        if (list) list.replaceWith(formFor(open, item, { units: ctx.units }).querySelector('[data-field=checklist]'));
      }
    },
    dirty() {
      return [...forms.values()].some((f) => f.dataset.dirty === '1');
    },
  };
}
