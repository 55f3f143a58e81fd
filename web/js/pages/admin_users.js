// admin_users.js - 用户管理 (#/admin/users, role admin): every account with its
// unit, roles and state; a form to create one (POST /users) or change its name,
// unit, roles, password or disabled state (PATCH /users/{id}); disabling and
// enabling from the list. The password policy is the server's: its refusals are
// said in Chinese next to the password field. The admin and auditor roles stand
// alone (三员分立), which the role boxes keep to as they are ticked.

import { api } from '../api.js';
import { renderGuard, scrollWithin } from '../tools/alive.js';
import { h, fill, field, toast, fmtDate, ROLE_NAMES } from '../ui.js';
import { loadUnits } from '../tools/units.js';
import { adminHead } from '../tools/admin_tabs.js';
import { formError, clearErrors } from '../tools/form_error.js';

const ROLE_NOTES = {
  leader: '查看全部事项，作出批示',
  supervisor: '立项、交办、催办、督办、验收销号',
  manager: '本单位事项：签收、报进展、申请销号和延期',
  staff: '本单位事项：签收、报进展、上传佐证',
  viewer: '只读本单位及下级单位的事项',
  admin: '管理单位、用户和工作日历；不看事项和审计日志',
  auditor: '查看和校验审计日志；不做其他操作',
};
const ROLE_ORDER = ['leader', 'supervisor', 'manager', 'staff', 'viewer', 'admin', 'auditor'];
const ALONE = new Set(['admin', 'auditor']);
const POLICY = '至少 8 位，须含大写字母、小写字母、数字、其他字符中的至少 3 类，且不得与用户名相同。';

function roleChips(roles) {
  return roles.map((r) => h('span', { class: `role-chip role-${r}` }, ROLE_NAMES[r] || r));
}

/* The policy as a live checklist under the password (guidance; the server decides). */
function policyList(password, username) {
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  const items = [
    [[...password].length >= 8, '至少 8 位'],
    [classes >= 3, '大写、小写、数字、其他字符中至少 3 类'],
    [!!password && password.toLowerCase() !== (username || '').toLowerCase(), '不与用户名相同'],
  ];
  return items.map(([ok, text]) => h('li', { class: ok ? 'ok' : null }, ok ? '✓ ' : '· ', text));
}

export default {
  name: 'admin-users',
  path: /^#\/admin\/users$/,
  title: '用户管理',
  roles: ['admin'],

  async render(main, match, ctx) {
    const alive = renderGuard(main);
    const [units, j] = await Promise.all([loadUnits(), api.get('/users')]);
    if (!alive()) return;
    let users = j.users || [];
    let editing = null;
    let fresh = null;
    const tableBox = h('div', { class: 'table-scroll users-box' });
    const formBox = h('section', { class: 'card user-form-card' });
    const q = h('input', { type: 'search', id: 'user-q', placeholder: '姓名或用户名', autocomplete: 'off' });
    const unitSel = h('select', { id: 'user-unit' },
      h('option', { value: '' }, '全部单位'),
      units.ordered.map(({ unit: u, depth }) => h('option', { value: u.id }, `${'　'.repeat(depth)}${u.name}`)));
    const roleSel = h('select', { id: 'user-role' },
      h('option', { value: '' }, '全部角色'),
      ROLE_ORDER.map((r) => h('option', { value: r }, ROLE_NAMES[r])));
    const showDisabled = h('input', { type: 'checkbox', id: 'user-disabled', checked: true });
    const count = h('span', { class: 'hint' });

    const paintTable = () => {
      const text = q.value.trim().toLowerCase();
      const within = unitSel.value ? new Set(units.subtree(Number(unitSel.value))) : null;
      const rows = users.filter((u) => (!text || u.username.toLowerCase().includes(text)
          || (u.display_name || '').toLowerCase().includes(text))
        && (!within || within.has(u.unit_id))
        && (!roleSel.value || u.roles.includes(roleSel.value))
        && (showDisabled.checked || !u.disabled));
      count.textContent = `共 ${rows.length} 个账号`;
      fill(tableBox, rows.length ? h('table', { class: 'data users' },
        h('thead', {}, h('tr', {}, ['用户名', '姓名', '所属单位', '角色', '状态', '创建日期', '操作']
          .map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows.map((u) => h('tr', {
          class: [u.disabled ? 'disabled' : null, editing?.id === u.id ? 'editing' : null, fresh === u.id ? 'fresh' : null]
            .filter(Boolean).join(' ') || null,
          dataset: { username: u.username },
        },
          h('td', { class: 'mono' }, u.username),
          h('td', {}, u.display_name),
          h('td', {}, units.name(u.unit_id)),
          h('td', {}, roleChips(u.roles)),
          h('td', {}, u.disabled ? h('span', { class: 'state-off' }, '已停用') : h('span', { class: 'state-on' }, '启用')),
          h('td', {}, fmtDate(u.created_at)),
          h('td', { class: 'actions' },
            h('button', { type: 'button', class: 'small', onclick: () => edit(u), 'aria-label': `编辑 ${u.username}` }, '编辑'),
            u.id === ctx.me.user.id ? null : h('button', {
              type: 'button', class: `small${u.disabled ? '' : ' warn'}`,
              onclick: () => toggle(u), 'aria-label': `${u.disabled ? '启用' : '停用'} ${u.username}`,
            }, u.disabled ? '启用' : '停用'))))))
        : h('p', { class: 'empty' }, '没有符合条件的账号。'));
    };
    [q, unitSel, roleSel, showDisabled].forEach((x) => x.addEventListener(x === q ? 'input' : 'change', paintTable));

    const replace = (saved) => {
      const i = users.findIndex((u) => u.id === saved.id);
      if (i >= 0) users[i] = saved;
      else users = [...users, saved];
      fresh = saved.id;
    };

    const toggle = async (u) => {
      try {
        const saved = await api.patch(`/users/${u.id}`, { disabled: !u.disabled });
        replace(saved);
        toast(saved.disabled ? `已停用 ${saved.username}，该账号不能再登录` : `已启用 ${saved.username}`);
        if (editing?.id === saved.id) edit(saved);
        else paintTable();
      } catch (err) {
        toast(err.text || '操作失败', 'error');
      }
    };

    const paintForm = () => {
      const u = editing;
      const password = h('input', {
        name: 'password', type: 'password', autocomplete: 'new-password', id: 'user-password',
        'aria-describedby': 'password-policy',
      });
      const policy = h('ul', { class: 'policy', id: 'password-policy', 'aria-live': 'polite' });
      const username = h('input', { name: 'username', class: 'mono', autocomplete: 'off', value: u?.username || '', disabled: !!u, maxlength: 64 });
      const repaintPolicy = () => fill(policy, password.value ? policyList(password.value, username.value) : h('li', {}, POLICY));
      password.addEventListener('input', repaintPolicy);
      username.addEventListener('input', repaintPolicy);
      repaintPolicy();
      const roleBoxes = ROLE_ORDER.map((r) => h('label', { class: 'role-option' },
        h('input', { type: 'checkbox', name: 'roles', value: r, checked: !!u?.roles.includes(r) }),
        h('span', {}, h('b', {}, ROLE_NAMES[r]), h('small', {}, ROLE_NOTES[r]))));
      const roles = h('fieldset', { class: 'field roles', 'data-field': 'roles' },
        h('legend', { class: 'label' }, '角色'), roleBoxes,
        h('small', { class: 'hint' }, '系统管理员、安全审计员不能兼任其他角色（三员分立）。'));
      roles.addEventListener('change', (e) => {
        const t = e.target;
        if (!t.checked) return;
        roles.querySelectorAll('input[name=roles]').forEach((b) => {
          if (b !== t && (ALONE.has(t.value) || ALONE.has(b.value))) b.checked = false;
        });
      });
      const form = h('form', { class: 'user-form', novalidate: true, autocomplete: 'off' },
        h('h2', {}, u ? `编辑用户：${u.display_name || u.username}` : '新建用户'),
        field('用户名', username, u ? '用户名创建后不能修改' : '登录用，字母、数字、“_”“.”“-”'),
        field('姓名', h('input', { name: 'display_name', value: u?.display_name || '', maxlength: 100 })),
        field('所属单位', h('select', { name: 'unit_id' },
          h('option', { value: '' }, '请选择单位'),
          units.ordered.map(({ unit: x, depth }) => h('option', { value: x.id, selected: u?.unit_id === x.id },
            `${'　'.repeat(depth)}${x.name}`)))),
        roles,
        h('label', { class: 'field' },
          h('span', { class: 'label' }, u ? '重置密码' : '初始密码'),
          password,
          u ? h('small', { class: 'hint' }, '留空则不修改密码') : null,
          policy),
        u ? h('label', { class: 'check' },
          h('input', { type: 'checkbox', name: 'disabled', checked: !!u.disabled }),
          ' 停用此账号（停用后不能登录，记录保留）') : null,
        h('div', { class: 'form-actions' },
          h('button', { type: 'submit', class: 'primary' }, u ? '保存修改' : '新建用户'),
          u ? h('button', { type: 'button', onclick: () => { editing = null; paintForm(); paintTable(); } }, '取消编辑') : null));
      form.addEventListener('submit', (e) => save(e, form));
      fill(formBox, form);
      return form;
    };

    const save = async (e, form) => {
      e.preventDefault();
      clearErrors(form);
      const el = (n) => form.elements.namedItem(n);
      const body = {
        display_name: el('display_name').value.trim(),
        unit_id: el('unit_id').value ? Number(el('unit_id').value) : undefined,
        roles: [...form.querySelectorAll('input[name=roles]:checked')].map((b) => b.value),
      };
      const password = el('password').value;
      if (!editing) {
        body.username = el('username').value.trim();
        if (!body.username) return formError(form, { field: 'username', text: '请填写用户名' });
      }
      if (!body.display_name) return formError(form, { field: 'display_name', text: '请填写姓名' });
      if (!body.unit_id) return formError(form, { field: 'unit_id', text: '请选择所属单位' });
      if (!body.roles.length) return formError(form, { field: 'roles', text: '请至少选择一个角色' });
      if (!editing && !password) return formError(form, { field: 'password', text: '请设置初始密码' });
      if (password) body.password = password;
      if (editing) body.disabled = el('disabled').checked;
      const button = form.querySelector('button[type=submit]');
      button.disabled = true;
      try {
        const saved = editing ? await api.patch(`/users/${editing.id}`, body) : await api.post('/users', body);
        replace(saved);
        toast(editing ? `已保存 ${saved.username}` : `已新建用户 ${saved.username}（${saved.display_name}）`);
        editing = null;
        paintForm();
        paintTable();
        scrollWithin(tableBox, tableBox.querySelector(`tr[data-username="${CSS.escape(saved.username)}"]`));
      } catch (err) {
        formError(form, err);
      } finally {
        button.disabled = false;
      }
      return undefined;
    };

    const edit = (u) => {
      editing = u;
      paintTable();
      paintForm().elements.namedItem('display_name').focus();
    };

    main.append(
      adminHead('#/admin/users', '用户管理', '为各单位开设账号、分配角色；离岗人员的账号停用而不删除，其办理记录和审计日志完整保留。'),
      h('div', { class: 'admin-grid' },
        h('section', { class: 'card' },
          h('div', { class: 'toolbar' },
            h('div', { class: 'inline-field' }, h('label', { for: 'user-q' }, '查找'), q),
            h('div', { class: 'inline-field' }, h('label', { for: 'user-unit' }, '单位'), unitSel),
            h('div', { class: 'inline-field' }, h('label', { for: 'user-role' }, '角色'), roleSel),
            h('label', { class: 'check' }, showDisabled, ' 含已停用'),
            h('span', { class: 'spacer' }),
            count,
            h('button', { type: 'button', class: 'primary', onclick: () => { editing = null; paintTable(); paintForm().elements.namedItem('username').focus(); } }, '＋ 新建用户')),
          tableBox),
        formBox));
    paintTable();
    paintForm();
  },
};
