// live.js - changes pushed by the server (GET /api/v1/stream, server-sent events):
// every item change the signed-in user may see arrives as an `item` event
// {id, code, ledger, status, light, version}. The browser's EventSource
// reconnects by itself and sends Last-Event-ID, so nothing is missed across a
// short break; when the stream is closed for good (the session ended) this
// module tries again with a growing pause. The header's dot shows the state.

let source = null;
let retry = null;
let wait = 1000;
let handler = () => {};

function dot(state) {
  const d = document.querySelector('.live-dot');
  if (d) {
    d.dataset.state = state;
    d.title = state === 'open' ? '实时更新已连接' : '实时更新连接中断，正在重连';
  }
}

function open() {
  source = new EventSource('/api/v1/stream');
  source.addEventListener('open', () => {
    wait = 1000;
    dot('open');
  });
  source.addEventListener('item', (e) => {
    let change = null;
    try {
      change = JSON.parse(e.data);
    } catch (err) {
      return;
    }
    document.dispatchEvent(new CustomEvent('tz-change', { detail: change }));
    handler(change);
  });
  source.addEventListener('error', () => {
    dot('closed');
    if (source.readyState === EventSource.CLOSED) {
      source = null;
      retry = setTimeout(open, wait);
      wait = Math.min(wait * 2, 30000);
    }
  });
}

export const live = {
  /* Starts listening (once); onChange(change) is called for every change. */
  start(ctx, onChange) {
    handler = onChange;
    if (!source && !retry) open();
  },
  stop() {
    clearTimeout(retry);
    retry = null;
    if (source) source.close();
    source = null;
  },
};
