// signin.js - 登录: user name and password; the API's lockout (429) and wrong
// password (401) answers in Chinese; nothing else is said about which was wrong.

import { api } from '../api.js';
import { h, showError, clearErrors } from '../ui.js';
import { signedIn } from '../app.js';

export default {
  name: 'signin',
  path: /^#\/signin$/,
  title: '登录',
  bare: true,
  render(main) {
    const form = h('form', { class: 'signin-form', novalidate: true },
      h('h1', {}, h('img', { src: '/img/logo.svg', alt: '' }), '台账'),
      h('p', { class: 'sub' }, '闭环督办 · 挂图作战'),
      h('label', { class: 'field' }, h('span', { class: 'label' }, '用户名'),
        h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true })),
      h('label', { class: 'field' }, h('span', { class: 'label' }, '密码'),
        h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
      h('button', { type: 'submit', class: 'primary' }, '登录'),
      h('p', { class: 'hint' }, '连续 5 次密码错误，账号将锁定 30 分钟。'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      const username = form.username.value.trim();
      const password = form.password.value;
      if (!username) return showError(form, { field: 'username', text: '请输入用户名' });
      if (!password) return showError(form, { field: 'password', text: '请输入密码' });
      const button = form.querySelector('button');
      button.disabled = true;
      try {
        await api.login(username, password);
        signedIn(await api.get('/me'));
      } catch (err) {
        const text = err.code === 'unauthorized' ? '用户名或密码错误'
          : err.code === 'locked' ? '登录失败次数过多，账号已锁定，请 30 分钟后再试或联系管理员'
            : err.text;
        showError(form, { field: err.code === 'unauthorized' ? 'password' : null, text });
      } finally {
        button.disabled = false;
      }
    });
    main.append(h('section', { class: 'signin' }, form,
      h('p', { class: 'foot' }, '本系统运行于单位内网，不连接互联网。')));
  },
};
