// admin_notify.js - 通知渠道 (#/admin/notify, role admin): the robot channels of
// each unit — 企业微信群机器人, 钉钉群机器人 (optionally 加签), or a generic
// webhook signed with HMAC — with a form to add or change one, 发送测试 on each,
// and the messages that could not be delivered (发送失败) with 重新发送.
// The server never returns a robot's key or a secret: the list shows the
// masked address and whether a secret is set; leaving the secret empty while
// editing keeps it. Messages are sent by the server's sender thread, so a test
// is queued here and its outcome looked up a few seconds later.

import { api } from '../api.js';
import { renderGuard } from '../tools/alive.js';
import { h, fill, field, toast, fmtTime, clearErrors, showError } from '../ui.js';
import { loadUnits } from '../tools/units.js';
import { adminHead } from '../tools/admin_tabs.js';

const KINDS = {
  wecom: '企业微信群机器人',
  dingtalk: '钉钉群机器人',
  webhook: '通用 Webhook',
};
const KIND_HINTS = {
  wecom: '群设置 → 群机器人 → 添加，复制 Webhook 地址（https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…）',
  dingtalk: '群设置 → 机器人 → 自定义，复制 Webhook 地址（https://oapi.dingtalk.com/robot/send?access_token=…）；安全设置选“加签”时填写 SEC 开头的密钥',
  webhook: '本单位系统接收通知的地址；请求带 X-Taizhang-Signature（HMAC-SHA256）签名，密钥填在下方',
};
const EVENTS = { remind: '催办', supervise: '督办', daily: '每日提醒', test: '测试' };

/* A delivery error (English, technical) said in Chinese for the administrator. */
const DELIVERY_ERRORS = [
  [/^errcode 93000\b/, '企业微信：Webhook 地址中的 key 无效'],
  [/^errcode 93004\b/, '企业微信：机器人已被移出群聊'],
  [/^errcode (45009|130101)\b/, '发送过于频繁（每个机器人每分钟最多 20 条），稍后自动重试'],
  [/^errcode 310000\b/, '钉钉：加签、关键词或 IP 校验未通过'],
  [/^errcode (300001|300005|400101)\b/, '钉钉：access_token 无效'],
  [/^errcode 400102\b/, '钉钉：机器人已停用'],
  [/^HTTP (\d+)/, (m) => `对方返回 HTTP ${m[1]}`],
  [/connect|resolve/i, '无法连接对方服务器'],
  [/timed? ?out/i, '连接超时'],
  [/channel was deleted/, '渠道已删除'],
  [/channel is disabled/, '渠道已停用'],
];
function deliveryError(text) {
  if (!text) return '—';
  for (const [re, zh] of DELIVERY_ERRORS) {
    const m = re.exec(text);
    if (m) return typeof zh === 'function' ? zh(m) : zh;
  }
  return '发送失败';
}

/* The API's field errors of this form, in Chinese. */
function zhError(err) {
  const byField = {
    url: '地址须以 http:// 或 https:// 开头，且不含空格',
    unit_id: '请选择单位',
    kind: '请选择渠道类型',
    name: '请填写渠道名称（最多 100 字节）',
    secret: '密钥过长（最多 256 字节）',
    msgtype: '请选择消息格式',
  };
  if (err.code === 'validation_failed' && byField[err.field]) {
    return { field: err.field, text: byField[err.field] };
  }
  return { field: err.field, text: err.text || String(err) };
}

export default {
  name: 'admin-notify',
  path: /^#\/admin\/notify$/,
  title: '通知渠道',
  roles: ['admin'],

  async render(main) {
    const alive = renderGuard(main);
    const units = await loadUnits();
    if (!alive()) return;
    let channels = [];
    let editing = null;
    const listBox = h('section', { class: 'card notify-channels' });
    const formBox = h('section', { class: 'card notify-form-card' });
    const deadBox = h('section', { class: 'card notify-dead' });

    const unitName = (id) => units.byId.get(id)?.name || `单位 ${id}`;

    const paintList = () => {
      const rows = [...channels].sort((a, b) => unitName(a.unit_id).localeCompare(unitName(b.unit_id), 'zh') || a.id - b.id);
      fill(listBox,
        h('h2', {}, `通知渠道（${channels.length} 个）`),
        rows.length ? h('table', { class: 'data notify-table' },
          h('thead', {}, h('tr', {}, ['单位', '名称', '类型', '地址', '签名', '格式', '状态', ''].map((t) => h('th', {}, t)))),
          h('tbody', {}, rows.map((c) => h('tr', { dataset: { channelId: c.id }, class: editing?.id === c.id ? 'editing' : null },
            h('td', {}, unitName(c.unit_id)),
            h('td', {}, c.name),
            h('td', {}, h('span', { class: `kind-chip notify-kind-${c.kind}` }, KINDS[c.kind] || c.kind)),
            h('td', { class: 'mono notify-url', title: c.url }, c.url),
            h('td', {}, c.has_secret ? '已设置密钥' : '—'),
            h('td', {}, c.msgtype === 'text' ? '纯文本' : 'Markdown'),
            h('td', {}, c.enabled ? '启用' : h('span', { class: 'muted' }, '停用')),
            h('td', { class: 'notify-actions' },
              h('button', { type: 'button', class: 'small', onclick: () => edit(c) }, '编辑'),
              h('button', { type: 'button', class: 'small', onclick: () => sendTest(c) }, '发送测试'),
              h('button', { type: 'button', class: 'small danger', onclick: () => remove(c) }, '删除'))))))
          : h('p', { class: 'empty' }, '还没有通知渠道。在右侧为单位添加企业微信或钉钉群机器人。'));
    };

    const paintForm = () => {
      const c = editing;
      const kind = h('select', { name: 'kind' },
        Object.entries(KINDS).map(([k, l]) => h('option', { value: k, selected: (c?.kind || 'wecom') === k }, l)));
      const hint = h('small', { class: 'hint' }, KIND_HINTS[c?.kind || 'wecom']);
      kind.addEventListener('change', () => { hint.textContent = KIND_HINTS[kind.value]; });
      const form = h('form', { class: 'notify-form', novalidate: true },
        h('h2', {}, c ? `编辑渠道：${c.name}` : '添加通知渠道'),
        field('单位', h('select', { name: 'unit_id' },
          units.ordered.map(({ unit: u, depth }) => h('option', { value: u.id, selected: u.id === c?.unit_id },
            `${'　'.repeat(depth)}${u.name}`)))),
        h('label', { class: 'field' }, h('span', { class: 'label' }, '类型'), kind, hint),
        field('名称', h('input', { name: 'name', value: c?.name || '', maxlength: 100, placeholder: '如：住建局工作群' })),
        field('Webhook 地址', h('input', {
          name: 'url', class: 'mono', value: '', autocomplete: 'off',
          placeholder: c ? `不修改请留空（当前 ${c.url}）` : 'https://…',
        })),
        field('密钥', h('input', {
          name: 'secret', type: 'password', autocomplete: 'new-password',
          placeholder: c?.has_secret ? '已设置，不修改请留空' : '钉钉“加签”或 Webhook 签名密钥，可不填',
        }), c?.has_secret ? h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'clear_secret' }), ' 清除已设置的密钥') : null),
        field('消息格式', h('select', { name: 'msgtype' },
          h('option', { value: 'markdown', selected: c?.msgtype !== 'text' }, 'Markdown（推荐）'),
          h('option', { value: 'text', selected: c?.msgtype === 'text' }, '纯文本'))),
        h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'enabled', checked: c ? c.enabled : true }), ' 启用'),
        h('div', { class: 'form-actions' },
          h('button', { type: 'submit', class: 'primary' }, c ? '保存修改' : '添加渠道'),
          c ? h('button', { type: 'button', onclick: () => { editing = null; paintList(); paintForm(); } }, '取消编辑') : null));
      form.addEventListener('submit', (e) => save(e, form));
      fill(formBox, form);
      return form;
    };

    const save = async (e, form) => {
      e.preventDefault();
      clearErrors(form);
      const v = (n) => form.elements.namedItem(n);
      const body = {
        unit_id: Number(v('unit_id').value),
        kind: v('kind').value,
        name: v('name').value.trim(),
        msgtype: v('msgtype').value,
        enabled: v('enabled').checked,
      };
      const url = v('url').value.trim();
      const secret = v('secret').value;
      if (!body.name) return showError(form, { field: 'name', text: '请填写渠道名称' });
      if (!editing && !url) return showError(form, { field: 'url', text: '请填写 Webhook 地址' });
      if (url) body.url = url;
      if (secret) body.secret = secret;
      else if (v('clear_secret')?.checked) body.secret = '';
      const button = form.querySelector('button[type=submit]');
      button.disabled = true;
      try {
        const saved = editing
          ? await api.patch(`/notify/channels/${editing.id}`, body)
          : await api.post('/notify/channels', body);
        toast(editing ? `已保存：${saved.name}` : `已添加渠道：${saved.name}`);
        editing = null;
        await reload();
        paintForm();
      } catch (err) {
        showError(form, zhError(err));
      } finally {
        button.disabled = false;
      }
      return undefined;
    };

    const edit = (c) => {
      editing = c;
      paintList();
      paintForm().elements.namedItem('name').focus();
    };

    const remove = async (c) => {
      if (!window.confirm(`删除“${unitName(c.unit_id)}”的渠道“${c.name}”？此后该渠道不再收到通知。`)) return;
      try {
        await api.delete(`/notify/channels/${c.id}`);
        toast(`已删除：${c.name}`);
        if (editing?.id === c.id) editing = null;
        await reload();
        paintForm();
      } catch (err) {
        toast(err.text || String(err), 'error');
      }
    };

    /* Queues a test, then looks its outcome up for up to 20 seconds. */
    const sendTest = async (c) => {
      let id;
      try {
        id = (await api.post(`/notify/channels/${c.id}/test`)).message_id;
      } catch (err) {
        toast(err.text || String(err), 'error');
        return;
      }
      toast(`测试消息已排队：${c.name}`);
      for (let i = 0; i < 20 && alive(); i++) {
        await new Promise((r) => setTimeout(r, 1000));
        const m = (await api.get('/notify/outbox').catch(() => ({ messages: [] }))).messages.find((x) => x.id === id);
        if (m?.state === 'sent') {
          toast(`测试消息已送达：${c.name}`);
          return;
        }
        if (m?.state === 'dead') {
          toast(`测试消息发送失败：${deliveryError(m.last_error)}`, 'error');
          await paintDead();
          return;
        }
      }
      if (alive()) toast('测试消息尚未送达，将按重试计划继续发送', 'error');
    };

    const paintDead = async () => {
      const { messages } = await api.get('/notify/dead');
      if (!alive()) return;
      fill(deadBox,
        h('div', { class: 'notify-dead-head' },
          h('h2', {}, `发送失败（${messages.length} 条）`),
          h('button', { type: 'button', onclick: runDaily, title: '为每个有逾期或临期事项的单位生成今日提醒；同一天只发一次' }, '立即生成今日提醒')),
        messages.length ? h('table', { class: 'data notify-table' },
          h('thead', {}, h('tr', {}, ['时间', '单位', '类型', '标题', '尝试次数', '最后错误', ''].map((t) => h('th', {}, t)))),
          h('tbody', {}, messages.map((m) => h('tr', { dataset: { messageId: m.id } },
            h('td', {}, fmtTime(m.created_at)),
            h('td', {}, m.unit_name || unitName(m.unit_id)),
            h('td', {}, EVENTS[m.event] || m.event),
            h('td', {}, m.title),
            h('td', { class: 'num' }, String(m.attempts)),
            h('td', { class: 'notify-error' }, deliveryError(m.last_error),
              m.last_error ? h('small', { class: 'mono' }, m.last_error) : null),
            h('td', {}, h('button', { type: 'button', class: 'small', onclick: () => retry(m) }, '重新发送'))))))
          : h('p', { class: 'empty' }, '没有发送失败的消息。'));
    };

    const retry = async (m) => {
      try {
        await api.post(`/notify/dead/${m.id}/retry`);
        toast(`已重新排队：${m.title}`);
      } catch (err) {
        toast(err.text || String(err), 'error');
      }
      await paintDead();
    };

    const runDaily = async () => {
      try {
        const r = await api.post('/notify/daily/run');
        toast(r.queued ? `已生成今日提醒 ${r.queued} 条` : '今日提醒已发过，或各单位没有逾期、临期事项');
      } catch (err) {
        toast(err.text || String(err), 'error');
      }
    };

    const reload = async () => {
      channels = (await api.get('/notify/channels')).channels;
      if (alive()) paintList();
    };

    fill(main, adminHead('#/admin/notify', '通知渠道',
      '催办、督办即时推送到牵头单位的群；每天定时推送各单位的逾期、临期事项。'),
    h('div', { class: 'notify-layout' }, listBox, formBox), deadBox);
    paintForm();
    await reload();
    await paintDead();
  },
};
