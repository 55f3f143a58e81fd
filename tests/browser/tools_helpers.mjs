// tools_helpers.mjs - what the tool pages' browser tests share beyond the
// harness: watching a page for script errors and failed API calls (the live
// stream's 404 aside, while GET /api/v1/stream is not on this branch), and the
// header's navigation labels.

export function watch(page) {
  const failed = [];
  page.on('response', (r) => {
    const url = r.url();
    if (r.status() >= 400 && url.includes('/api/v1/') && !url.includes('/api/v1/stream')) {
      failed.push(`${r.status()} ${r.request().method()} ${url.replace(/^https?:\/\/[^/]+/, '')}`);
    }
  });
  return {
    failed,
    /* uncaught errors and failed API calls other than those expected (substrings) */
    problems(...expected) {
      const errs = page.errors.filter((e) => !e.startsWith('Failed to load resource'));
      return [...errs, ...failed.filter((f) => !expected.some((x) => f.includes(x)))];
    },
  };
}

export async function navLabels(page) {
  return page.$$eval('#top nav a', (as) => as.map((a) => a.textContent.trim()));
}

/* Goes to a hash of the signed-in app and waits for a selector of the page. */
export async function open(page, server, hash, selector) {
  await page.goto(server.url + '/' + hash);
  if (selector) await page.waitForSelector(selector);
}
