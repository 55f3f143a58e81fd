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
let state = 'closed';

function dot(next) {
  state = next;
  const d = document.querySelector('.live-dot');
  if (d) {
    d.dataset.state = state;
    d.title = state === 'open' ? '实时更新已连接' : '实时更新连接中断，正在重连';
  }
}

function deliver(change) {
  document.dispatchEvent(new CustomEvent('tz-change', { detail: change }));
  handler(change);
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
    deliver(change);
  });
  // changes were missed (a long break): every view reloads what it shows
  source.addEventListener('refresh', () => deliver({ id: 0, refresh: true }));
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
  /* Paints the header's dot (rebuilt on every page) with the connection's state. */
  paint() {
    dot(state);
  },
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
