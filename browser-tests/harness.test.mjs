// The harness's own checks: that the TOTP codes are right, that axe-core
// really runs inside the pages (and finds a violation when there is one),
// and that the pages' Content-Security-Policy is still in force while it does.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations, journey, problems, settled, totpAt } from './harness.mjs';

test('TOTP codes match RFC 6238 (SHA-1 test vectors, 6 digits)', () => {
  // The RFC's secret is the ASCII "12345678901234567890"; its codes at
  // T = 59 s and 1111111109 s are 94287082 and 07081804 (8 digits).
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  assert.equal(totpAt(secret, Math.floor(59 / 30)), '287082');
  assert.equal(totpAt(secret, Math.floor(1111111109 / 30)), '081804');
});

const app = journey();

test('axe runs in a page under its CSP and finds a violation put there', async () => {
  const page = await app.newPage();
  const answer = await page.goto(app.url('/sign-in'));
  assert.match(answer.headers()['content-security-policy'], /default-src 'self'/);
  await settled(page);
  // The CSP holds: an inline script put into the page does not run.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true';
    document.head.append(script);
  });
  assert.equal(await page.evaluate(() => window.inlineRan), undefined);
  assert.ok(problems(page).some((p) => p.startsWith('CSP:')), `the violation is seen: ${problems(page)}`);

  assert.deepEqual(await axeViolations(page), []);
  // An input without its label is a WCAG 2.1 A violation (label).
  await page.evaluate(() => document.querySelector('label[for=username]').remove());
  const found = await axeViolations(page);
  assert.deepEqual(found.map((v) => v.id), ['label']);
  assert.equal(found[0].nodes[0].target, '#username');
});
