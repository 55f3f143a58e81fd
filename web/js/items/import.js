// items/import.js - 导入 Excel on the ledger list: choose an .xlsx or .csv file,
// see what it would do (POST /ledgers/{ledger}/import?dry_run=1: counts, the
// rows to create and update, conflicts, and every bad cell as 行/列/原因), then
// 确认导入 (the same request without dry_run; all or nothing). The dialog keeps
// the server's report, so a refused import shows the same table; choosing
// another file starts over.

import { csrfToken, ApiError } from '../api.js';
import { h, fill, toast } from '../ui.js';

export const IMPORT_PATH = '/api/v1/ledgers/{ledger}/import';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/* The content type the server reads the file by (the name decides; the browser's guess varies). */
function fileType(file) {
  const name = (file.name || '').toLowerCase();
  if (name.endsWith('.csv')) return 'text/csv';
  if (name.endsWith('.xlsx')) return XLSX;
  return file.type || 'application/octet-stream';
}

/* POSTs the file; resolves {status, json} for 200, 409 and 422 with a report, rejects otherwise. */
async function send(ledgerKey, file, opts) {
  const q = new URLSearchParams({ name: file.name || 'import' });
  if (opts.dryRun) q.set('dry_run', '1');
  if (opts.skipConflicts) q.set('skip_conflicts', '1');
  let res;
  try {
    res = await fetch(`/api/v1/ledgers/${encodeURIComponent(ledgerKey)}/import?${q}`, {
      method: 'POST',
      headers: { 'Content-Type': fileType(file), Accept: 'application/json', 'X-CSRF-Token': csrfToken() },
      body: file,
      credentials: 'same-origin',
    });
  } catch (e) {
    throw new ApiError(0, null);
  }
  let json = null;
  try { json = await res.json(); } catch (e) { json = null; }
  if (res.ok || (json && Array.isArray(json.errors))) return { status: res.status, json };
  throw new ApiError(res.status, json);
}

/* The reason a file could not be read at all, in Chinese (the server's message is Chinese). */
function failText(err) {
  if (err.code === 'too_large') return err.serverMessage || '文件过大';
  if (/[\u4e00-\u9fff]/.test(err.serverMessage)) return err.serverMessage;
  return err.text;
}

function table(cls, head, rows) {
  return h('table', { class: `import-table ${cls}` },
    h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((c) => h('td', {}, c == null ? '' : String(c)))))));
}

function counts(r) {
  const n = (k, label, cls) => h('li', { class: cls, dataset: { count: k } }, h('b', {}, String(r[k] ?? 0)), label);
  return h('ul', { class: 'import-counts' },
    n('creates', '项新建', 'c-create'), n('updates', '项更新', 'c-update'), n('unchanged', '项未变', ''),
    n('conflicts', '行冲突', r.conflicts ? 'c-conflict' : ''), n('error_count', '处错误', r.error_count ? 'c-error' : ''));
}

/* The report as sections: errors first (what stops the import), then conflicts, then the preview. */
function reportView(r) {
  const parts = [counts(r)];
  if (r.errors && r.errors.length) {
    parts.push(h('section', { class: 'import-errors', role: 'alert' },
      h('h3', {}, `以下 ${r.error_count} 处不符合要求，未导入任何数据。请在文件中改正后重新选择：`),
      table('errors', ['行', '列', '原因'], r.errors.map((e) => [e.row, e.column || '—', e.reason])),
      r.error_count > r.errors.length ? h('p', { class: 'hint' }, `仅列出前 ${r.errors.length} 处`) : null));
  }
  const pv = r.preview || {};
  if (pv.conflicts && pv.conflicts.length) {
    parts.push(h('section', { class: 'import-conflicts' },
      h('h3', {}, `以下 ${r.conflicts} 行在导出后已在网页中修改（版本不符）：`),
      table('conflicts', ['行', '编号', '事项', '原因'], pv.conflicts.map((c) => [c.row, c.code, c.title, c.reason]))));
  }
  if (pv.creates && pv.creates.length) {
    parts.push(h('section', {}, h('h3', {}, `将新建 ${r.creates} 项`),
      table('creates', ['行', '事项'], pv.creates.map((c) => [c.row, c.title]))));
  }
  if (pv.updates && pv.updates.length) {
    parts.push(h('section', {}, h('h3', {}, `将更新 ${r.updates} 项`),
      table('updates', ['行', '编号', '事项', '变化'], pv.updates.map((u) => [u.row, u.code, u.title,
        [u.edit ? '修改内容' : '', u.progress != null ? `报送进度 ${u.progress}%` : ''].filter(Boolean).join('，')]))));
  }
  if (r.warnings && r.warnings.length) {
    parts.push(h('section', { class: 'import-warnings' }, h('h3', {}, '提示'),
      h('ul', {}, ...r.warnings.map((w) => h('li', {}, `${w.column}：${w.reason}`)))));
  }
  return parts;
}

/*
 * The 导入 Excel button of a ledger's list. onImported() is called after a
 * successful import (the list reloads).
 */
export function importButton(ledgerKey, ledgerName, onImported) {
  const input = h('input', { type: 'file', accept: '.xlsx,.csv', class: 'file-input', id: `import-${ledgerKey}` });
  const body = h('div', { class: 'import-body', 'aria-live': 'polite' });
  const title = h('h2', {}, '导入 Excel');
  const skip = h('input', { type: 'checkbox', id: 'import-skip' });
  const skipBox = h('label', { class: 'import-skip', hidden: true }, skip, ' 跳过冲突的行，导入其余各行');
  const confirm = h('button', { type: 'button', class: 'button primary', disabled: true }, '确认导入');
  // the dialog's own file input: the list may redraw its header (and its input) meanwhile
  const againInput = h('input', { type: 'file', accept: '.xlsx,.csv', class: 'file-input', id: `import-again-${ledgerKey}` });
  const again = h('label', { for: againInput.id, class: 'button' }, '重新选择文件');
  const close = h('button', { type: 'button', class: 'button' }, '关闭');
  const dlg = h('dialog', { class: 'import-dialog', 'aria-labelledby': 'import-title' },
    title, body, h('footer', {}, skipBox, againInput, again, close, confirm));
  title.id = 'import-title';
  let file = null;
  let report = null;

  function showReport(r) {
    report = r;
    fill(body, ...reportView(r));
    const blocked = r.error_count > 0 || (r.creates + r.updates === 0);
    if (!r.error_count && !r.conflicts && r.creates + r.updates === 0) {
      body.append(h('p', { class: 'hint' }, '文件中的事项与系统一致，无需导入。'));
    }
    skipBox.hidden = !r.conflicts || r.error_count > 0;
    confirm.disabled = blocked || (r.conflicts > 0 && !skip.checked);
  }

  async function preview(f) {
    file = f;
    skip.checked = false;
    fill(title, `导入 ${ledgerName}：${f.name}`);
    fill(body, h('p', { class: 'hint' }, '正在检查文件…'));
    confirm.disabled = true;
    skipBox.hidden = true;
    if (!dlg.isConnected) document.body.append(dlg);
    if (!dlg.open) dlg.showModal();
    try {
      const { json } = await send(ledgerKey, f, { dryRun: true });
      showReport(json);
    } catch (err) {
      fill(body, h('p', { class: 'import-fail', role: 'alert' }, `无法导入“${f.name}”：${failText(err)}`));
    }
  }

  for (const el of [input, againInput]) {
    el.addEventListener('change', () => {
      const f = el.files[0];
      el.value = '';
      if (f) preview(f);
    });
  }
  skip.addEventListener('change', () => report && showReport(report));
  close.addEventListener('click', () => dlg.close());
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    fill(confirm, '正在导入…');
    try {
      const { status, json } = await send(ledgerKey, file, { skipConflicts: skip.checked });
      if (status === 200) {
        dlg.close();
        toast(`导入完成：新建 ${json.creates} 项，更新 ${json.updates} 项`);
        await onImported();
      } else {
        showReport(json); // edited meanwhile, or a rule the preview could not foresee
      }
    } catch (err) {
      fill(body, h('p', { class: 'import-fail', role: 'alert' }, `导入失败：${failText(err)}`));
    } finally {
      fill(confirm, '确认导入');
    }
  });
  dlg.addEventListener('close', () => dlg.remove());

  const button = h('label', { for: input.id, class: 'button', dataset: { import: ledgerKey } }, '导入 Excel');
  return h('span', { class: 'import-tool' }, input, button);
}
