// Journey: the coordinator signs in through the page and lands on the start
// page, which greets them with their role, in Danish and in English.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NARROW, assertNoHorizontalScroll, assertNoProblems, checkA11y, journey, shot,
} from '../harness.mjs';

const app = journey();

test('the coordinator signs in through the page and is greeted as koordinator', async () => {
  const page = await app.newPage();
  await app.signIn(page, 'koordinator');
  assert.equal(page.url(), app.url('/'));
  assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /^Velkommen/);
  await assert.doesNotReject(page.getByText('Du er logget ind som koordinator.').waitFor());
  await shot(page, 'start-da-1280', { docs: true });
  await checkA11y(page, 'the start page (da, 1280 px)');

  // Signed in, the sign-in page goes on to the start page.
  await page.goto(app.url('/sign-in'));
  assert.equal(page.url(), app.url('/'));

  await page.goto(app.url('/?lang=en'));
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await assert.doesNotReject(page.getByText('You are signed in as coordinator.').waitFor());
  await shot(page, 'start-en-1280');
  await checkA11y(page, 'the start page (en, 1280 px)');

  // The language sticks (a cookie) until changed again.
  await page.goto(app.url('/'));
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.getByRole('link', { name: 'Dansk' }).click();
  await page.waitForURL(app.url('/?lang=da'));
  assert.equal(await page.locator('html').getAttribute('lang'), 'da');
  assertNoProblems(page);
});

test('the start page at 320 px passes axe and fits', async () => {
  const page = await app.newPage({ viewport: NARROW });
  await app.signIn(page, 'koordinator');
  await shot(page, 'start-da-320');
  await assertNoHorizontalScroll(page);
  await checkA11y(page, 'the start page (da, 320 px)');
  assertNoProblems(page);
});

test('the start page is not shown to someone not signed in', async () => {
  const page = await app.newPage();
  const answer = await page.goto(app.url('/'));
  assert.ok(page.url() === app.url('/sign-in') || answer.status() === 401,
    `expected the sign-in page or 401, got ${answer.status()} at ${page.url()}`);
  assert.equal(await page.getByText('Du er logget ind som').count(), 0);
});
