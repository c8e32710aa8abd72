// Swagger UI's version picker: load /docs of a versioned ferrapi app (items-versioned) in
// headless Chromium, check it opens on the latest version, pick version 1 and see
// Swagger UI load that version's document and show an operation only it has. Run by
// .ci/run:
//   node tests/e2e/swagger_versions.mjs http://127.0.0.1:PORT [screenshot.png [top.png]]
// Needs playwright-core and Debian's chromium. Talks to 127.0.0.1 only.
import { chromium } from 'playwright-core';

const base = process.argv[2];
const shot = process.argv[3];
const top = process.argv[4];
if (!/^http:\/\/(127\.0\.0\.1|localhost):\d+(\/[\w-]+)*$/.test(base)) {
  console.error('usage: swagger_versions.mjs http://127.0.0.1:PORT');
  process.exit(2);
}
const v1 = await (await fetch(`${base}/openapi/v1.json`)).json();
const latest = await (await fetch(`${base}/openapi.json`)).json();
// An operation of v1 that the latest version no longer has.
const key = (doc) => Object.entries(doc.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
const onlyV1 = key(v1).filter((k) => !key(latest).includes(k));
if (onlyV1.length === 0) throw new Error('v1 has no operation the latest version lacks');
const [method, path] = onlyV1[0].split(' ');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(20000);
  const loaded = [];
  page.on('request', (r) => { if (r.url().endsWith('.json')) loaded.push(new URL(r.url()).pathname); });
  await page.goto(`${base}/docs`);
  const select = page.locator('.topbar select');
  await select.waitFor();
  const options = await select.locator('option').allTextContents();
  if (options.length < 2) throw new Error(`the picker offers ${options}`);
  await page.locator('.info .title').first().waitFor();
  const opened = await page.locator('.info .title').first().textContent();
  if (!opened.includes(latest.info.version)) {
    throw new Error(`opened on ${opened}, not the latest ${latest.info.version}`);
  }
  // Pick version 1: its document loads and its own operation shows.
  await select.selectOption({ label: v1.info.version });
  await page.locator('.info .title', { hasText: v1.info.version }).first().waitFor();
  await page.locator(`.opblock-summary-path[data-path="${path}"]`).first().waitFor();
  await page.locator(`.opblock-${method.toLowerCase()} .opblock-summary-path[data-path="${path}"]`).first().waitFor();
  if (!loaded.some((p) => p.endsWith('/openapi/v1.json'))) {
    throw new Error(`v1.json was not loaded: ${loaded.join(', ')}`);
  }
  // The choice is kept in the address, as Swagger UI's own top bar keeps it: a reload (or
  // a shared link) opens on that version.
  const kept = new URL(page.url()).searchParams.get('urls.primaryName');
  if (kept !== v1.info.version) throw new Error(`the address keeps ${kept}, not ${v1.info.version}`);
  if (top) await page.screenshot({ path: top, fullPage: false });
  await page.reload();
  await page.locator('.info .title', { hasText: v1.info.version }).first().waitFor();
  const chosen = await page.locator('.topbar select').evaluate((s) => s.options[s.selectedIndex].text);
  if (chosen !== v1.info.version) throw new Error(`after a reload the picker shows ${chosen}`);
  await page.locator(`.opblock-summary-path[data-path="${path}"]`).first().waitFor();
  // Try it out sends the request to that version's server (`/v1`), which answers it.
  const op = page.locator(`.opblock-${method.toLowerCase()}`, { has: page.locator(`.opblock-summary-path[data-path="${path}"]`) }).first();
  await op.locator('.opblock-summary-path').click();
  await op.locator('button.try-out__btn').waitFor();
  if (!(await op.locator('button.execute').isVisible())) {
    await op.locator('button.try-out__btn').click();
  }
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith(`/v1${path}`));
  await op.locator('button.execute').click();
  const response = await answered;
  if (response.status() !== 200) throw new Error(`${method} /v1${path} answered ${response.status()}`);
  if (shot) await page.screenshot({ path: shot, fullPage: false });
  console.log(`Swagger UI picker: ${options.length} versions, opened on ${latest.info.version}, switched to ${v1.info.version} (kept across a reload), showed ${method} ${path} and Try it out got 200 from /v1${path}`);
} finally {
  await browser.close();
}
