// What the browser checks share: Debian's Chromium started headless with every
// background connection off (this machine's network is closed), and Swagger UI's
// "Try it out" on one operation.
import { chromium } from 'playwright-core';

export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Opens the operation whose block has the DOM id `opId` (`operations-<tag>-<operationId>`),
// runs "Try it out" and returns the text of the answer's body.
export async function tryItOut(page, opId) {
  await page.click(`#${opId} >> .opblock-summary-path`);
  const op = page.locator(`#${opId}`);
  await op.locator('button.try-out__btn').waitFor();
  if (!(await op.locator('button.execute').isVisible())) {
    await op.locator('button.try-out__btn').click();
  }
  await op.locator('button.execute').click();
  const body = await page.waitForSelector(`#${opId} >> .live-responses-table .response-col_description pre`);
  return body.innerText();
}
