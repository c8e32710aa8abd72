// ReDoc works offline: load /redoc of a running ferrapi app in headless Chromium with
// every request to another host refused, and wait until it shows the document's
// operations. Run by .ci/run:
//   node tests/e2e/redoc_offline.mjs http://127.0.0.1:PORT [screenshot.png]
// Needs playwright-core and Debian's chromium. Talks to 127.0.0.1 only.
import { chromium } from 'playwright-core';

const base = process.argv[2];
const shot = process.argv[3];
if (!/^http:\/\/(127\.0\.0\.1|localhost):\d+(\/[\w-]+)*$/.test(base)) {
  console.error('usage: redoc_offline.mjs http://127.0.0.1:PORT');
  process.exit(2);
}
const doc = await (await fetch(`${base}/openapi.json`)).json();
const summaries = Object.values(doc.paths)
  .flatMap((item) => Object.values(item))
  .map((op) => op.summary)
  .filter(Boolean);
if (summaries.length === 0) throw new Error('the document has no operation summaries');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const refused = [];
try {
  const context = await browser.newContext();
  // No network but the app: anything else is refused, as on a machine offline.
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.protocol === 'blob:' || url.protocol === 'data:') {
      return route.continue();
    }
    refused.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  await page.goto(`${base}/redoc`);
  // ReDoc renders each operation's summary as a heading in its content column.
  for (const summary of summaries.slice(0, 3)) {
    await page.locator('h2', { hasText: summary }).first().waitFor();
  }
  if (shot) await page.screenshot({ path: shot, fullPage: false });
  if (refused.length > 0) {
    throw new Error(`ReDoc asked for other hosts: ${refused.join(', ')}`);
  }
  console.log(`ReDoc offline: ${summaries.length} operations, first ${Math.min(3, summaries.length)} shown, no request left 127.0.0.1`);
} finally {
  await browser.close();
}
