// items/evidence.js - 佐证材料 of an item: the attachments listed with image
// thumbnails (click to enlarge) and PDFs opening in a new tab, and uploading:
// a file dropped anywhere on the page or chosen with the file input is sent
// to POST /items/{id}/attachments?name=… with its own type, with a progress
// bar, and a refused type or size explained in Chinese. The server's rules
// (SPEC 2.6) stay the server's: the type check here only spares sending a
// file the server would refuse anyway.

import { ApiError, csrfToken } from '../api.js';
import { h, fmtDate, fmtTime } from '../ui.js';

/* The types the server accepts, by file extension (a browser often knows no type for .ofd or .doc). */
const TYPES = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ofd: 'application/ofd',
};
const ACCEPT = Object.keys(TYPES).map((e) => '.' + e).join(',');
const TYPE_TEXT = '只能上传 PNG、JPEG 图片，PDF，Word（DOC/DOCX），Excel（XLS/XLSX）或 OFD 文件';

/* The content type to send for a file, or null when the server would refuse it. */
export function uploadType(file) {
  const ext = (/\.([a-z0-9]+)$/i.exec(file.name || '') || [])[1]?.toLowerCase();
  if (ext && TYPES[ext]) return TYPES[ext];
  if (Object.values(TYPES).includes(file.type)) return file.type;
  return null;
}

function sizeText(n) {
  if (n >= 1048576) return (n / 1048576).toFixed(1) + ' MB';
  if (n >= 1024) return Math.round(n / 1024) + ' KB';
  return n + ' 字节';
}

const isImage = (a) => a.content_type === 'image/png' || a.content_type === 'image/jpeg';
const url = (a) => `/api/v1/attachments/${a.id}?inline=1`;

/* The Chinese explanation of a failed upload. */
export function uploadErrorText(err, file) {
  switch (err.code) {
    case 'too_large': return `“${file.name}”（${sizeText(file.size)}）超过系统允许的大小上限，未保存。请压缩或拆分后再上传。`;
    case 'unsupported_media_type':
      return /content/.test(err.serverMessage)
        ? `“${file.name}”的内容与其文件类型不符，未保存。请确认文件未损坏、扩展名正确。`
        : `“${file.name}”的类型不支持，未保存。${TYPE_TEXT}。`;
    case 'invalid_transition': return '该事项已销号或已撤销，不能再上传佐证材料。';
    case 'forbidden': return '您没有为该事项上传佐证材料的权限。';
    case 'validation_failed': return `文件名不符合要求（不能含有“/”等字符，最长 255 字节）：${file.name}`;
    default: return `“${file.name}”上传失败：${err.text}`;
  }
}

/* Sends one file with its progress (XMLHttpRequest, for upload progress); resolves to the attachment. */
function send(itemId, file, type, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/items/${itemId}/attachments?name=${encodeURIComponent(file.name || '附件')}`);
    xhr.setRequestHeader('Content-Type', type);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('X-CSRF-Token', csrfToken());
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let json = null;
      try { json = JSON.parse(xhr.responseText); } catch (e) { json = null; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(json);
      else reject(new ApiError(xhr.status, json));
    };
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.send(file);
  });
}

/* A dialog showing one image large; Esc or the button closes it. */
function enlarge(att) {
  const dlg = h('dialog', { class: 'ledger-lightbox', 'aria-label': att.name },
    h('figure', {}, h('img', { src: url(att), alt: att.name }), h('figcaption', {}, att.name)),
    h('form', { method: 'dialog' }, h('button', { class: 'close', 'aria-label': '关闭' }, '关闭')));
  dlg.addEventListener('close', () => dlg.remove());
  dlg.addEventListener('click', (e) => { if (e.target === dlg) dlg.close(); });
  document.body.append(dlg);
  dlg.showModal();
}

function fileIcon(a) {
  const kind = a.content_type === 'application/pdf' ? 'PDF'
    : /word/.test(a.content_type) || /msword/.test(a.content_type) ? 'DOC'
      : /excel|sheet/.test(a.content_type) ? 'XLS' : a.content_type === 'application/ofd' ? 'OFD' : '文件';
  return h('span', { class: `file-icon file-${kind.toLowerCase()}`, 'aria-hidden': 'true' }, kind);
}

/* The list of attachments. people: user id -> display name (from the events). */
export function attachmentList(atts, people) {
  if (!atts.length) return h('p', { class: 'muted' }, '尚无佐证材料。');
  const images = atts.filter(isImage);
  const files = atts.filter((a) => !isImage(a));
  const meta = (a) => h('span', { class: 'att-meta', title: `${fmtTime(a.uploaded_at)} 上传，${sizeText(a.size)}` },
    [people[a.uploaded_by], fmtDate(a.uploaded_at)].filter(Boolean).join(' · '));
  return h('div', { class: 'attachments' },
    images.length ? h('ul', { class: 'thumbs' }, images.map((a) => h('li', { dataset: { id: a.id } },
      h('button', { type: 'button', class: 'thumb', title: `放大查看：${a.name}`, onclick: () => enlarge(a) },
        h('img', {
          src: url(a), alt: a.name, loading: 'lazy',
          onerror: (e) => e.target.closest('.thumb').classList.add('broken'),
        })),
      h('span', { class: 'att-name', title: a.name }, a.name), meta(a)))) : null,
    files.length ? h('ul', { class: 'files' }, files.map((a) => h('li', { dataset: { id: a.id } }, fileIcon(a),
      h('span', { class: 'att-text' },
        a.content_type === 'application/pdf'
          ? h('a', { href: url(a), target: '_blank', rel: 'noopener', title: '在新标签页中打开' }, a.name)
          : h('a', { href: `/api/v1/attachments/${a.id}`, download: a.name }, a.name),
        meta(a))))) : null);
}

/*
 * The upload area of an item: a drop zone with a file input, and page-wide
 * drag and drop while it is shown. onUploaded() is called after each stored
 * file. Returns {el, dispose()}.
 */
export function uploader(itemId, onUploaded) {
  const status = h('ul', { class: 'uploads', 'aria-live': 'polite' });
  const input = h('input', { type: 'file', multiple: true, accept: ACCEPT, id: `upload-${itemId}`, class: 'file-input' });
  const zone = h('div', { class: 'dropzone', dataset: { drop: 'zone' } },
    h('p', {}, '将照片或文件拖到此处上传'),
    h('p', {}, '或 ', input, h('label', { for: input.id, class: 'button small' }, '选择文件')),
    h('p', { class: 'hint' }, 'PNG、JPEG、PDF、Word、Excel、OFD'));
  const overlay = h('div', { class: 'ledger-drop-overlay', 'aria-hidden': 'true' }, h('div', {}, '松开鼠标，上传为佐证材料'));

  let queue = Promise.resolve();
  function uploadFiles(files) {
    for (const file of files) {
      const bar = h('div', { class: 'progress-fill', style: 'width:0%' });
      const msg = h('span', { class: 'up-msg' }, '等待上传…');
      const li = h('li', { class: 'up' }, h('span', { class: 'up-name' }, file.name),
        h('div', { class: 'progress-track' }, bar), msg);
      status.prepend(li);
      const type = uploadType(file);
      if (!type) {
        li.classList.add('up-error');
        li.setAttribute('role', 'alert');
        msg.textContent = `“${file.name}”的类型不支持，未上传。${TYPE_TEXT}。`;
        continue;
      }
      queue = queue.then(async () => {
        msg.textContent = '正在上传…';
        try {
          await send(itemId, file, type, (f) => {
            bar.style.width = `${Math.round(f * 100)}%`;
            msg.textContent = `正在上传 ${Math.round(f * 100)}%`;
          });
          bar.style.width = '100%';
          li.classList.add('up-ok');
          msg.textContent = '已上传';
          await onUploaded();
        } catch (err) {
          li.classList.add('up-error');
          li.setAttribute('role', 'alert');
          msg.textContent = uploadErrorText(err, file);
        }
      });
    }
  }

  input.addEventListener('change', () => {
    uploadFiles([...input.files]);
    input.value = '';
  });

  // Page-wide drag and drop: anything dragged over the page shows the overlay.
  let depth = 0;
  const hasFiles = (e) => [...(e.dataTransfer?.types || [])].includes('Files');
  const onEnter = (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth++;
    document.body.classList.add('ledger-dragging');
  };
  const onOver = (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  };
  const onLeave = (e) => {
    if (!hasFiles(e)) return;
    depth = Math.max(0, depth - 1);
    if (!depth) document.body.classList.remove('ledger-dragging');
  };
  const onDrop = (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    document.body.classList.remove('ledger-dragging');
    uploadFiles([...e.dataTransfer.files]);
  };
  document.addEventListener('dragenter', onEnter);
  document.addEventListener('dragover', onOver);
  document.addEventListener('dragleave', onLeave);
  document.addEventListener('drop', onDrop);
  document.body.append(overlay);

  return {
    el: h('div', { class: 'upload' }, zone, status),
    dispose() {
      document.removeEventListener('dragenter', onEnter);
      document.removeEventListener('dragover', onOver);
      document.removeEventListener('dragleave', onLeave);
      document.removeEventListener('drop', onDrop);
      document.body.classList.remove('ledger-dragging');
      overlay.remove();
    },
  };
}

