// items_helpers.mjs - what the ledger-page browser tests share beyond the
// harness: opening an item and waiting for it, taking an action through its
// form, dropping a file on the page the way a user's drag does, and a PNG
// drawn in the page to drop.

/* Opens #/items/ID and waits until its timeline is shown. */
export async function openItem(page, server, id) {
  const url = `${server.url}/#/items/${id}`;
  // the same URL again is no navigation at all (only the hash would change): reload instead
  if (page.url() === url) await page.reload();
  else await page.goto(url);
  await page.waitForSelector('.item-timeline .timeline, .item-timeline p, [data-not-found]');
  await settled(page);
}

/* The labels of the action buttons offered. */
export async function actionButtons(page) {
  return page.$$eval('.action-buttons button', (bs) => bs.map((b) => b.textContent.trim()));
}

/*
 * Clicks the action button NAME, lets fill(form) type into its form, submits,
 * and waits for the toast of success ("已" + NAME).
 */
export async function act(page, name, fill = async () => {}) {
  await page.click(`.action-buttons button:text-is("${name}")`);
  const form = page.locator('.action-form');
  await form.waitFor();
  await fill(form);
  await form.locator('button[type=submit]').click();
  await page.waitForSelector(`.toast:text-is("已${name}")`);
  await form.waitFor({ state: 'detached' });
  await settled(page);
}

/* Waits until the item page has shown everything it was loading. */
export async function settled(page) {
  await page.waitForSelector('main > .view:not([aria-busy])');
}

/* The status badge of the item page's header. */
export async function statusText(page) {
  return (await page.textContent('.item-head .status')).trim();
}

/*
 * Draws a photo-like PNG in the page (a site after rectification, with a
 * caption) and drops it on the drop zone with a DataTransfer, as the browser
 * does for a file dragged from the desktop: dragenter, dragover, drop.
 */
export async function dropDrawnPng(page, name, caption) {
  await page.evaluate(async ({ name, caption }) => {
    const c = document.createElement('canvas');
    c.width = 800;
    c.height = 600;
    const g = c.getContext('2d');
    const sky = g.createLinearGradient(0, 0, 0, 380);
    sky.addColorStop(0, '#7fb6e8');
    sky.addColorStop(1, '#dceefb');
    g.fillStyle = sky;
    g.fillRect(0, 0, 800, 380);
    g.fillStyle = '#8d9aa5';
    g.fillRect(0, 380, 800, 220);
    const blocks = [[60, 150, 170, 230, '#e9e3d6'], [260, 90, 200, 290, '#f3efe6'], [500, 170, 230, 210, '#e2dccd']];
    for (const [x, y, w, hgt, col] of blocks) {
      g.fillStyle = col;
      g.fillRect(x, y, w, hgt);
      g.fillStyle = '#6f8fa8';
      for (let wy = y + 20; wy < y + hgt - 30; wy += 42) {
        for (let wx = x + 16; wx < x + w - 30; wx += 38) g.fillRect(wx, wy, 22, 26);
      }
    }
    g.strokeStyle = '#f6c026';
    g.lineWidth = 10;
    g.beginPath();
    g.moveTo(0, 470);
    g.lineTo(800, 470);
    g.stroke();
    g.fillStyle = 'rgba(0,0,0,.55)';
    g.fillRect(0, 530, 800, 70);
    g.fillStyle = '#fff';
    g.font = '28px "Noto Sans CJK SC", sans-serif';
    g.fillText(caption, 24, 576);
    const blob = await new Promise((resolve) => c.toBlob(resolve, 'image/png'));
    const file = new File([blob], name, { type: 'image/png' });
    const dt = new DataTransfer();
    dt.items.add(file);
    const zone = document.querySelector('.dropzone');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, { name, caption });
}

/* Drops an in-page file of the given bytes (text) and type on the drop zone. */
export async function dropFile(page, name, type, text) {
  await page.evaluate(({ name, type, text }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type }));
    const zone = document.querySelector('.dropzone');
    for (const t of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(t, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, { name, type, text });
}

/* Script errors of the page (failed requests are watched separately, see watchFailures). */
export function jsErrors(page) {
  return page.errors.filter((e) => !e.startsWith('Failed to load resource'));
}

/* Records failed responses other than /api/v1/stream, which may not exist yet. */
export function watchFailures(page) {
  page.failures = [];
  page.on('response', (r) => {
    if (r.status() >= 500 || (r.status() >= 400 && !r.url().endsWith('/api/v1/stream') && !page.expectedFailures?.(r))) {
      page.failures.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    }
  });
  return page;
}
