// api.js - the one door to the server: JSON over fetch, the session cookie, the
// CSRF header on writes, and every error as an ApiError carrying the API's
// envelope ({code, message, field}) plus a Chinese message for the user.

const BASE = '/api/v1';
const CSRF_KEY = 'taizhang.csrf';

/* Chinese wording of the API's error codes (SPEC 4). */
const CODE_TEXT = {
  bad_request: '请求格式有误',
  unauthorized: '未登录或登录已过期，请重新登录',
  forbidden: '没有权限进行此操作',
  csrf_failed: '页面已过期，请刷新后重试',
  not_found: '未找到，或您无权查看',
  invalid_transition: '当前状态下不能进行此操作',
  version_conflict: '该事项已被他人修改，请刷新后再试（您填写的内容已保留）',
  too_large: '内容过大',
  unsupported_media_type: '文件类型不支持',
  validation_failed: '填写有误',
  locked: '登录失败次数过多，账号已锁定 30 分钟',
  too_many_requests: '尝试过于频繁，请稍后再试',
  internal: '服务器出错，请稍后再试；已填写的内容未丢失',
  unavailable: '服务暂不可用，请稍后再试',
};

export class ApiError extends Error {
  constructor(status, envelope) {
    const e = (envelope && envelope.error) || {};
    super(e.message || 'HTTP ' + status);
    this.status = status;
    this.code = e.code || (status === 0 ? 'network' : 'http_' + status);
    this.field = e.field || null;
    this.serverMessage = e.message || '';
  }

  /* A sentence for the user, in Chinese, naming the field when there is one. */
  get text() {
    if (this.status === 0) return '无法连接服务器，请检查网络；已填写的内容未丢失';
    const base = CODE_TEXT[this.code] || '操作失败';
    // the server explains in English for developers; only Chinese detail reaches the user
    // (pages that know their fields say more: items/messages.js, tools/messages.js)
    const chinese = /[\u4e00-\u9fff]/.test(this.serverMessage);
    return this.serverMessage && chinese && this.code === 'validation_failed'
      ? base + '：' + this.serverMessage
      : base;
  }
}

let onUnauthorized = () => {};

/* Called with no argument when a request answers 401: the app shows the sign-in page. */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export function csrfToken() {
  return sessionStorage.getItem(CSRF_KEY) || '';
}

async function request(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken();
  let res;
  try {
    res = await fetch(BASE + path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, null);
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!res.ok) {
    const err = new ApiError(res.status, json);
    if (res.status === 401 && !opts.quiet401) onUnauthorized();
    throw err;
  }
  return json;
}

export const api = {
  get: (path, opts) => request('GET', path, undefined, opts),
  post: (path, body) => request('POST', path, body),
  patch: (path, body) => request('PATCH', path, body),
  put: (path, body) => request('PUT', path, body),
  delete: (path) => request('DELETE', path),

  /* Signs in; keeps the CSRF token for the writes of this tab. */
  async login(username, password) {
    const j = await request('POST', '/auth/login', { username, password }, { quiet401: true });
    sessionStorage.setItem(CSRF_KEY, j.csrf);
    return j;
  },

  async logout() {
    try {
      await request('POST', '/auth/logout', undefined, { quiet401: true });
    } finally {
      sessionStorage.removeItem(CSRF_KEY);
    }
  },

  /* Uploads a File as evidence of an item (raw body, its own type). */
  upload(itemId, file) {
    const name = encodeURIComponent(file.name || '附件');
    return request('POST', `/items/${itemId}/attachments?name=${name}`, file);
  },

  /* Builds "?a=1&b=2" from an object, skipping empty values. */
  query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== undefined && v !== null && v !== '') q.set(k, v);
    }
    const s = q.toString();
    return s ? '?' + s : '';
  },
};
