// End-to-end check of Swagger UI's OAuth2 authorization-code flow against a running ferrapi
// app (the `docs_code_flow` test server): the app's `swagger_ui_init_oauth` fills the
// client id, Authorize opens the provider's sign-in page in a popup, the provider sends
// the browser back to the OAuth2 redirect page at FastAPI's address (/docs/oauth2-redirect),
// Swagger UI trades the code for a token with PKCE, and "Try it out" on GET /me sends it.
// Also checks that `swagger_ui_parameters` reached the page (`filter: true`: the filter box).
// Run by .ci/run:
//   node tests/e2e/swagger_code_flow.mjs http://127.0.0.1:PORT
// Needs playwright-core and Debian's chromium. Talks to 127.0.0.1 only.
import { launch, tryItOut } from './browser.mjs';

const base = process.argv[2];
if (!/^http:\/\/(127\.0\.0\.1|localhost):\d+$/.test(base)) {
  console.error('usage: swagger_code_flow.mjs http://127.0.0.1:PORT');
  process.exit(2);
}
const browser = await launch();
try {
  const context = await browser.newContext();
  const visited = [];
  context.on('request', (r) => visited.push(new URL(r.url()).pathname));
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  await page.goto(`${base}/docs/`);
  // swagger_ui_parameters: {"filter": true} shows the filter box.
  await page.waitForSelector('.operation-filter-input');
  await page.click('button.authorize');
  // swagger_ui_init_oauth: the client id is filled in.
  const clientId = await page.inputValue('#client_id_authorizationCode');
  if (clientId !== 'docs-client') throw new Error(`client_id is ${JSON.stringify(clientId)}`);
  // swagger_ui_init_oauth's usePkceWithAuthorizationCodeGrant: the flow is titled so.
  await page.waitForSelector('h4:has-text("authorizationCode with PKCE")');
  // The scope's checkbox is hidden behind its styled label: click the label.
  await page.click('label[for="me-authorizationCode-checkbox-OAuth2AuthorizationCodeBearer"]');
  if (!(await page.isChecked('#me-authorizationCode-checkbox-OAuth2AuthorizationCodeBearer'))) {
    throw new Error('the scope could not be selected');
  }
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.click('.auth-btn-wrapper button.authorize'),
  ]);
  await popup.waitForEvent('close');
  await page.waitForSelector('.auth-container .btn.modal-btn.auth:has-text("Logout")');
  await page.click('.auth-btn-wrapper button.btn-done, button.btn-done');
  const answer = JSON.parse(await tryItOut(page, 'operations-default-me'));
  if (answer.token !== 'token-for-docs-client') throw new Error(`unexpected /me answer: ${JSON.stringify(answer)}`);
  for (const want of ['/provider/authorize', '/docs/oauth2-redirect', '/provider/token']) {
    if (!visited.includes(want)) throw new Error(`the flow never reached ${want}: ${visited.join(', ')}`);
  }
  console.log('1 passed, 0 failed: Swagger UI authorization-code flow (initOAuth client id, PKCE, redirect page at /docs/oauth2-redirect) then Try it out on /me');
} finally {
  await browser.close();
}
