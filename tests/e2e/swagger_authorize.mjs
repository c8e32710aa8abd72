// End-to-end check of Swagger UI's Authorize dialog against a running ferrapi app (the
// auth example): log in with the OAuth2 password flow in the dialog, then "Try it out"
// on GET /users/me, which must answer the logged-in user. Run by .ci/run:
//   node tests/e2e/swagger_authorize.mjs http://127.0.0.1:PORT[/PREFIX] [screenshot.png]
// (with a prefix: the app serves with --root-path PREFIX, as behind a proxy that strips it)
// Needs playwright-core and Debian's chromium. Talks to 127.0.0.1 only.
import { launch, tryItOut } from './browser.mjs';

const base = process.argv[2];
const shot = process.argv[3];
if (!/^http:\/\/(127\.0\.0\.1|localhost):\d+(\/[\w-]+)*$/.test(base)) {
  console.error('usage: swagger_authorize.mjs http://127.0.0.1:PORT');
  process.exit(2);
}
const browser = await launch();
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(15000);
  // Under a prefix, every request the page makes must stay inside it (the document, the
  // token endpoint, "Try it out"), as it must behind a proxy that only forwards the prefix.
  const prefix = new URL(base).pathname.replace(/\/$/, '');
  const outside = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (prefix && (u.hostname === '127.0.0.1' || u.hostname === 'localhost') && !u.pathname.startsWith(prefix + '/')) {
      outside.push(u.pathname);
    }
  });
  await page.goto(`${base}/docs/`);
  await page.click('button.authorize');
  await page.fill('#oauth_username', 'alice');
  await page.fill('#oauth_password', 'wonderland');
  await page.click('.auth-btn-wrapper button.authorize');
  // The dialog shows "Authorized" once the token endpoint answered.
  await page.waitForSelector('.auth-container .btn.modal-btn.auth:has-text("Logout")');
  await page.click('.auth-btn-wrapper button.btn-done, button.btn-done');
  const text = await tryItOut(page, 'operations-users-me');
  if (shot) await page.screenshot({ path: shot, fullPage: false });
  const me = JSON.parse(text);
  if (me.username !== 'alice' || !me.scopes.includes('items:read')) {
    throw new Error(`unexpected /users/me answer: ${text}`);
  }
  if (outside.length) throw new Error(`requests outside ${prefix}: ${outside.join(', ')}`);
  console.log(`1 passed, 0 failed: Swagger UI Authorize (password flow) then Try it out on /users/me${prefix ? ` under ${prefix}` : ''}`);
} finally {
  await browser.close();
}
