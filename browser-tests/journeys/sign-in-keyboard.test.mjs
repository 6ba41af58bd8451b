// Journey: signing in with the keyboard alone – Tab to the fields, type,
// Enter, the code, Enter – and the code step's accessibility.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, assertNoProblems, checkA11y, focused, freshCode, journey, shot } from '../harness.mjs';

const app = journey();

test('the whole sign-in works with the keyboard alone', async () => {
  const secret = await app.enrol('teamleder');
  const page = await app.newPage();
  await page.goto(app.url('/sign-in?lang=da'));
  for (let i = 0; i < 12 && (await focused(page)) !== '#username'; i++) await page.keyboard.press('Tab');
  assert.equal(await focused(page), '#username');
  await page.keyboard.type('teamleder');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), '#password');
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');

  // The second step: the script shows the code field and moves the focus to it.
  await page.locator('#code').waitFor({ state: 'visible' });
  assert.equal(await focused(page), '#code');
  assert.ok(await page.locator('#sign-in-form').isHidden());
  await shot(page, 'sign-in-code-da-1280', { docs: true });
  await checkA11y(page, 'sign-in, the code step (da)');

  await page.keyboard.type(await freshCode(secret));
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/sign-in'),
    page.keyboard.press('Enter'),
  ]);
  // Signed in: the page has gone on to the team lead's first page, and the
  // session (the browser's cookie) answers as them.
  const session = await page.request.get(app.url('/api/v1/session'));
  assert.equal(session.status(), 200);
  assert.equal((await session.json()).user.role, 'team_lead');
  assertNoProblems(page);
});
