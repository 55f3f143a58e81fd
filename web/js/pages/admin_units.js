// admin_units.js - 单位管理 (#/admin/units, role admin): the unit tree of the
// district (区 → 部门、街道、镇 → 社区、村; 企业 under the department that
// oversees them) with a form beside it to create a unit (POST /units) or edit
// one (PATCH /units/{id}: name, code, kind, a move under another parent).
// A move that would put a unit below itself is not offered, and the server
// refuses it too.

import { api } from '../api.js';
import { renderGuard, scrollWithin } from '../tools/alive.js';
import { h, fill, field, toast } from '../ui.js';
import { loadUnits, forgetUnits, UNIT_KINDS } from '../tools/units.js';
import { adminHead } from '../tools/admin_tabs.js';
import { formError, clearErrors } from '../tools/form_error.js';

function kindChip(kind) {
  return h('span', { class: `kind-chip kind-${kind}` }, UNIT_KINDS[kind] || kind);
}

export default {
  name: 'admin-units',
  path: /^#\/admin\/units$/,
  title: '单位管理',
  roles: ['admin'],

  async render(main) {
    const alive = renderGuard(main);
    let units = await loadUnits(true);
    if (!alive()) return;
    let editing = null; /* the unit being edited, null: creating */
    let highlight = null;
    const treeBox = h('div', { class: 'unit-tree-box' });
    const formBox = h('section', { class: 'card unit-form-card' });
    const filter = h('input', {
      type: 'search', id: 'unit-filter', placeholder: '按名称或编码查找', autocomplete: 'off',
    });

    const matches = (u, text) => !text || u.name.includes(text) || u.code.toLowerCase().includes(text.toLowerCase());

    /* A node is shown when it or a unit below it matches the filter. */
    const visible = (u, text) => matches(u, text) || units.children(u.id).some((c) => visible(c, text));

    const node = (u, text) => {
      if (!visible(u, text)) return null;
      const kids = units.children(u.id).map((c) => node(c, text)).filter(Boolean);
      return h('li', { dataset: { unitId: u.id } },
        h('div', {
          class: `unit-node${editing?.id === u.id ? ' editing' : ''}${highlight === u.id ? ' fresh' : ''}`,
        },
          h('span', { class: 'unit-name' }, u.name),
          h('span', { class: 'unit-code' }, u.code),
          kindChip(u.kind),
          h('span', { class: 'unit-actions' },
            h('button', { type: 'button', class: 'small', onclick: () => edit(u), 'aria-label': `编辑 ${u.name}` }, '编辑'),
            h('button', { type: 'button', class: 'small', onclick: () => create(u.id), 'aria-label': `在 ${u.name} 下添加单位` }, '添加下级'))),
        kids.length ? h('ul', {}, kids) : null);
    };

    const count = h('span', { class: 'count' });
    const paintTree = () => {
      count.textContent = `（${units.list.length} 个单位）`;
      const text = filter.value.trim();
      const roots = units.roots.map((r) => node(r, text)).filter(Boolean);
      fill(treeBox, roots.length
        ? h('ul', { class: 'unit-tree', 'aria-label': '单位树' }, roots)
        : h('p', { class: 'empty' }, '没有匹配的单位。'));
    };
    filter.addEventListener('input', paintTree);

    const parentOptions = (self, selected) => {
      const blocked = new Set(self ? units.subtree(self.id) : []);
      return [h('option', { value: '', selected: !selected }, '（无上级：作为根单位）'),
        units.ordered.map(({ unit: u, depth }) => h('option', {
          value: u.id,
          selected: u.id === selected,
          disabled: blocked.has(u.id),
        }, `${'　'.repeat(depth)}${depth ? '└ ' : ''}${u.name}（${u.code}）`))];
    };

    const paintForm = (asked) => {
      const u = editing;
      /* a new unit goes under the district unless another parent is asked for */
      const parentId = asked ?? units.roots[0]?.id ?? null;
      const form = h('form', { class: 'unit-form', novalidate: true },
        h('h2', {}, u ? `编辑单位：${u.name}` : '新建单位'),
        field('单位名称', h('input', { name: 'name', required: true, value: u?.name || '', maxlength: 200 })),
        field('单位编码', h('input', { name: 'code', required: true, value: u?.code || '', maxlength: 64, class: 'mono' }),
          '字母、数字、“-”或“_”，全系统唯一，如 ZJJ、DG-NXJ'),
        field('单位类型', h('select', { name: 'kind' },
          Object.entries(UNIT_KINDS).map(([k, l]) => h('option', {
            value: k, selected: (u?.kind || (parentId ? 'department' : 'district')) === k,
          }, l)))),
        field('上级单位', h('select', { name: 'parent_id' }, parentOptions(u, u ? u.parent_id : parentId)),
          u ? '移动到其他单位之下时，其下级单位随之移动' : null),
        h('div', { class: 'form-actions' },
          h('button', { type: 'submit', class: 'primary' }, u ? '保存修改' : '新建单位'),
          u ? h('button', { type: 'button', onclick: () => create(null) }, '取消编辑') : null));
      form.addEventListener('submit', (e) => save(e, form));
      fill(formBox, form);
      return form;
    };

    const save = async (e, form) => {
      e.preventDefault();
      clearErrors(form);
      const name = form.elements.namedItem('name').value.trim();
      const code = form.elements.namedItem('code').value.trim();
      if (!name) return formError(form, { field: 'name', text: '请填写单位名称' });
      if (!code) return formError(form, { field: 'code', text: '请填写单位编码' });
      const body = {
        name, code, kind: form.elements.namedItem('kind').value,
        parent_id: form.elements.namedItem('parent_id').value
          ? Number(form.elements.namedItem('parent_id').value) : null,
      };
      const button = form.querySelector('button[type=submit]');
      button.disabled = true;
      try {
        let saved;
        if (editing) {
          /* only what changed: an unchanged parent is not a move */
          const patch = {};
          for (const k of Object.keys(body)) if (body[k] !== (editing[k] ?? null)) patch[k] = body[k];
          saved = Object.keys(patch).length ? await api.patch(`/units/${editing.id}`, patch) : editing;
          toast(`已保存：${saved.name}`);
        } else {
          saved = await api.post('/units', body);
          toast(`已新建单位：${saved.name}`);
        }
        forgetUnits();
        units = await loadUnits(true);
        highlight = saved.id;
        editing = null;
        paintTree();
        paintForm(null);
        scrollWithin(treeBox, treeBox.querySelector(`li[data-unit-id="${saved.id}"] > .unit-node`));
      } catch (err) {
        formError(form, err);
      } finally {
        button.disabled = false;
      }
      return undefined;
    };

    const edit = (u) => {
      editing = u;
      paintTree();
      paintForm(null).elements.namedItem('name').focus();
    };
    const create = (parentId) => {
      editing = null;
      paintTree();
      const form = paintForm(parentId);
      if (parentId !== null) form.elements.namedItem('name').focus();
    };

    main.append(
      adminHead('#/admin/units', '单位管理', '维护全区单位树：区、部门、街道、镇、社区、村，以及由主管部门监管的企业和场所。'),
      h('div', { class: 'admin-grid' },
        h('section', { class: 'card' },
          h('div', { class: 'section-head' },
            h('h2', {}, '单位树', count),
            h('div', { class: 'inline-field' }, h('label', { for: 'unit-filter' }, '查找'), filter)),
          treeBox),
        formBox));
    paintTree();
    paintForm(null);
  },
};
