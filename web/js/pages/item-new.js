// pages/item-new.js - 新建事项 (supervisors): an item registered as a draft
// (立项登记). The chosen ledger's field schema (GET /ledgers) drives the
// second half of the form; switching ledgers keeps what was typed in the core
// fields. The API's 422 names the field (a core field, or a ledger field by its
// key such as `received_on`), and the message appears next to that input.

import { api } from '../api.js';
import { h, fill, showError, clearErrors, toast, field } from '../ui.js';
import { ledgers, units, unitSelect } from '../items/ref.js';
import { fieldInput, readFields } from '../items/fieldform.js';
import { explain, CORE_LABELS } from '../items/messages.js';

let state = null;
let renders = 0; // bumped by every render and dispose: a render that was left stops at its next await

function coUnitPicker(ref) {
  const summary = h('span', { class: 'multi-value' }, '无');
  const details = h('details', { class: 'multi multi-wide' },
    h('summary', {}, summary),
    h('div', { class: 'multi-menu multi-scroll', role: 'group', 'aria-label': '配合单位' },
      ref.list.map((u) => h('label', { class: 'check', style: `padding-left:${8 + u.depth * 14}px` },
        h('input', {
          type: 'checkbox', name: 'co_unit_ids', value: u.id, onchange: () => {
            const names = [...details.querySelectorAll('input:checked')].map((x) => ref.byId[x.value].name);
            summary.textContent = names.length ? names.join('、') : '无';
          },
        }), u.name))));
  return h('div', { class: 'field span-2', dataset: { key: 'co_unit_ids' } }, h('span', { class: 'label' }, '配合单位'), details);
}

function locationInputs(required) {
  return h('fieldset', { class: 'field location', name: 'location' },
    h('legend', { class: 'label' }, '位置', required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null,
      required ? h('small', { class: 'hint' }, '（生态环境问题必填）') : null),
    h('div', { class: 'location-row' },
      h('label', {}, h('span', { class: 'sub-label' }, '纬度'), h('input', { type: 'number', step: 'any', 'data-loc': 'lat', placeholder: '例：36.62' })),
      h('label', {}, h('span', { class: 'sub-label' }, '经度'), h('input', { type: 'number', step: 'any', 'data-loc': 'lon', placeholder: '例：101.80' })),
      h('label', { class: 'grow' }, h('span', { class: 'sub-label' }, '地址'), h('input', { type: 'text', 'data-loc': 'address', placeholder: '如：城东区火车站南岸广场' }))));
}

function readLocation(form) {
  const get = (k) => form.querySelector(`[data-loc="${k}"]`).value.trim();
  const lat = get('lat');
  const lon = get('lon');
  const address = get('address');
  if (!lat && !lon && !address) return null;
  return { lat: lat === '' ? null : Number(lat), lon: lon === '' ? null : Number(lon), address };
}

function renderKind() {
  const ledger = state.ledgers.byKey[state.form.elements.ledger.value];
  fill(state.kindBox);
  if (!ledger) return;
  // short inputs three to a row, texts and lists two to a row, row editors across
  const own = ledger.fields.filter((f) => !f.computed);
  const short = own.filter((f) => !['long_text', 'list', 'milestones', 'checklist'].includes(f.type));
  const texts = own.filter((f) => ['long_text', 'list'].includes(f.type));
  const rows = own.filter((f) => ['milestones', 'checklist'].includes(f.type));
  fill(state.kindBox, h('h2', {}, `${ledger.name}信息`),
    own.length ? [
      short.length ? h('div', { class: 'form-grid form-grid-3' }, short.map((f) => fieldInput(f))) : null,
      texts.length ? h('div', { class: 'form-grid' }, texts.map((f) => fieldInput(f))) : null,
      rows.map((f) => fieldInput(f)),
    ] : h('p', { class: 'hint' }, '该台账没有专属字段。'));
  fill(state.locBox, locationInputs(ledger.key === 'eco_problem'));
  state.form.querySelector('.register-note').hidden = !ledger.register;
}

async function submit(e) {
  e.preventDefault();
  const form = state.form;
  clearErrors(form);
  const ledger = state.ledgers.byKey[form.elements.ledger.value];
  if (!ledger) return showError(form, { field: 'ledger', text: '请选择台账' });
  const val = (n) => form.elements[n].value.trim();
  const body = {
    ledger: ledger.key,
    title: val('title'),
    description: val('description'),
    source: val('source'),
    lead_unit_id: val('lead_unit_id') ? Number(val('lead_unit_id')) : null,
    co_unit_ids: [...form.querySelectorAll('input[name=co_unit_ids]:checked')].map((x) => Number(x.value)),
    leader: val('leader'),
    deadline: val('deadline') || null,
    location: readLocation(form),
    fields: readFields(form, ledger),
  };
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const item = await api.post('/items', body);
    toast(`已立项：${item.code}`);
    state.ctx.go(`#/items/${item.id}`);
  } catch (err) {
    const label = (k) => ledger.fieldsByKey[k]?.label || CORE_LABELS[k];
    showError(form, explain(err, { label }));
  } finally {
    button.disabled = false;
  }
}

export default {
  name: 'item-new',
  path: /^#\/items\/new(?:\?(.*))?$/,
  title: '新建事项',
  roles: ['supervisor'],
  async render(view, match, ctx) {
    const mine = ++renders;
    const [l, u] = await Promise.all([ledgers(), units()]);
    if (mine !== renders) return; // left while loading
    const params = new URLSearchParams(match[1] || '');
    const chosen = l.byKey[params.get('ledger')] ? params.get('ledger') : l.list[0].key;
    state = { ctx, ledgers: l, units: u, kindBox: h('section', { class: 'kind-fields' }), locBox: h('div', { class: 'span-3' }) };
    const ledgerSelect = h('select', { name: 'ledger', required: true },
      l.list.map((x) => h('option', { value: x.key, selected: x.key === chosen }, x.name)));
    ledgerSelect.addEventListener('change', () => {
      history.replaceState(null, '', `#/items/new?ledger=${ledgerSelect.value}`);
      renderKind();
    });
    state.form = h('form', { class: 'card item-form', novalidate: true, onsubmit: submit },
      h('div', { class: 'form-grid form-grid-3' },
        field('台账', ledgerSelect),
        h('label', { class: 'field span-2' }, h('span', { class: 'label' }, '标题', h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
          h('input', { name: 'title', required: true, maxlength: 200, autocomplete: 'off' })),
        h('p', { class: 'hint register-note span-3', hidden: true }, '登记类台账：登记后直接生效，无需交办。'),
        h('label', { class: 'field span-3' }, h('span', { class: 'label' }, '事项描述'), h('textarea', { name: 'description', rows: 2 })),
        field('来源', h('input', { name: 'source', placeholder: '如：市委第一巡察组反馈意见第5项' })),
        field('责任领导', h('input', { name: 'leader', placeholder: '如：张副区长' })),
        field('办结时限', h('input', { type: 'date', name: 'deadline' }), '交办前须确定牵头单位和办结时限'),
        field('牵头单位', unitSelect('lead_unit_id', u, null, { empty: '（暂不指定）' })),
        coUnitPicker(u),
        state.locBox),
      state.kindBox,
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'primary' }, '保存（立项登记）'),
        h('a', { href: `#/items${params.get('ledger') ? '?ledger=' + encodeURIComponent(params.get('ledger')) : ''}` }, '取消')));
    view.classList.add('ledger-pages');
    fill(view, h('nav', { class: 'crumbs', 'aria-label': '位置' }, h('a', { href: '#/items' }, '台账'), ' › ', '新建事项'),
      h('h1', {}, '新建事项'), state.form);
    renderKind();
    state.form.elements.title.focus();
  },
  dispose() {
    renders++;
    state = null;
  },
};
