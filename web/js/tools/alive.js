// tools/alive.js - whether a page's render is still the one on screen, and a
// small scrolling helper for lists inside a page. The shell starts a new render
// on every hash change without waiting for the last one, so a render that
// awaits the server checks this before it touches <main>: a slow answer for a
// page already left must not be drawn over the next page.

export function renderGuard(main) {
  const token = Symbol('render');
  const at = location.hash;
  main.tzRender = token;
  return () => main.tzRender === token && location.hash === at;
}

/* Scrolls a scrolling box (not the page) so that el sits in its middle. */
export function scrollWithin(box, el) {
  if (!box || !el) return;
  const delta = el.getBoundingClientRect().top - box.getBoundingClientRect().top;
  box.scrollTop += delta - box.clientHeight / 2 + el.getBoundingClientRect().height / 2;
}
