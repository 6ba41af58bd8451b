// Journey: signing in through the page lands on the start page `/`, which
// greets whoever has no page of their own to start from (an administrator)
// with their role, in Danish and in English; a role with its own first page
// (the coordinator's overview, the caseworker's orders) goes on from `/` to it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NARROW, assertNoHorizontalScroll, assertNoProblems, checkA11y, journey, shot,
} from '../harness.mjs';

const app = journey();

test('the administrator signs in through the page and is greeted as administrator', async () => {
  const page = await app.newPage();
  await app.signIn(page, 'admin');
  assert.equal(page.url(), app.url('/'));
  assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /^Velkommen/);
  await assert.doesNotReject(page.getByText('Du er logget ind som administrator.').waitFor());
  await shot(page, 'start-da-1280', { docs: true });
  await checkA11y(page, 'the start page (da, 1280 px)');

  // Signed in, the sign-in page goes on to the start page.
  await page.goto(app.url('/sign-in'));
  assert.equal(page.url(), app.url('/'));

  await page.goto(app.url('/?lang=en'));
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await assert.doesNotReject(page.getByText('You are signed in as administrator.').waitFor());
  await shot(page, 'start-en-1280');
  await checkA11y(page, 'the start page (en, 1280 px)');

  // The language sticks (a cookie) until it is changed again, with the switch.
  await page.goto(app.url('/'));
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.getByRole('link', { name: 'Dansk' }).click();
  await page.waitForURL(app.url('/?lang=da'));
  await assert.doesNotReject(page.getByText('Du er logget ind som administrator.').waitFor());
  // (That <html lang> follows the switch is checked in sign-in-page.test.mjs.)
  assertNoProblems(page);
});

test('the start page at 320 px passes axe and fits', async () => {
  const page = await app.newPage({ viewport: NARROW });
  await app.signIn(page, 'admin');
  assert.equal(page.url(), app.url('/'));
  await assert.doesNotReject(page.getByText('Du er logget ind som administrator.').waitFor());
  await shot(page, 'start-da-320');
  await assertNoHorizontalScroll(page);
  await checkA11y(page, 'the start page (da, 320 px)');
  assertNoProblems(page);
});

test('the coordinator signs in through the page and goes on from / to the overview', async () => {
  const page = await app.newPage();
  await app.signIn(page, 'koordinator');
  assert.equal(page.url(), app.url('/overview'));
  await page.goto(app.url('/'));
  assert.equal(page.url(), app.url('/overview'));
  assertNoProblems(page);
});

test('the start page is not shown to someone not signed in', async () => {
  const page = await app.newPage();
  await page.goto(app.url('/'));
  assert.equal(page.url(), app.url('/sign-in'), 'sent to the sign-in page');
  await page.getByRole('heading', { level: 1, name: 'Log ind' }).waitFor();
  assert.equal(await page.getByText('Du er logget ind som').count(), 0);
});
