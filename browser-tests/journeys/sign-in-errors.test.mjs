// Journey: signing in goes wrong – a wrong password, a wrong code, an
// account without an authenticator, which enrols one on the page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, assertNoProblems, checkA11y, focused, freshCode, journey, shot } from '../harness.mjs';

const app = journey();

const BUTTON = 'Log ind';

test('a wrong password shows the Danish error in the alert', async () => {
  const page = await app.newPage();
  await page.goto(app.url('/sign-in?lang=da'));
  await page.locator('#username').fill('medarbejder');
  await page.locator('#password').fill('not-the-password');
  await page.getByRole('button', { name: BUTTON }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor({ state: 'visible' });
  assert.equal((await alert.innerText()).trim(),
    'Brugernavnet eller adgangskoden er forkert, eller kontoen er midlertidigt låst.');
  assert.equal(page.url(), app.url('/sign-in?lang=da'), 'stays on the sign-in page');
  await shot(page, 'sign-in-wrong-password-da-1280', { docs: true });
  await checkA11y(page, 'sign-in with the error shown (da)');
  assertNoProblems(page);
});

test('a wrong code shows the Danish error, and the right one then signs in', async () => {
  const secret = await app.enrol('admin');
  const page = await app.newPage();
  await page.goto(app.url('/sign-in?lang=da'));
  await page.locator('#username').fill('admin');
  await page.locator('#password').fill(DEMO_PASSWORD);
  await page.locator('#password').press('Enter');
  const code = page.locator('#code');
  await code.waitFor({ state: 'visible' });
  // A code of none of the accepted steps (one in a million that it is right).
  const fresh = await freshCode(secret);
  await code.fill(fresh === '000000' ? '111111' : '000000');
  await code.press('Enter');
  const alert = page.getByRole('alert');
  await alert.waitFor({ state: 'visible' });
  assert.equal((await alert.innerText()).trim(), 'Koden er forkert. Prøv igen.');
  await code.fill(fresh);
  await Promise.all([page.waitForURL(app.url('/')), code.press('Enter')]);
  assertNoProblems(page);
});

test('an account without an authenticator enrols one on the page and sees its recovery codes once', async () => {
  const page = await app.newPage();
  await page.goto(app.url('/sign-in?lang=da'));
  await page.locator('#username').fill('sagsbehandler');
  await page.locator('#password').fill(DEMO_PASSWORD);
  await page.locator('#password').press('Enter');
  await page.locator('#enrol-step').waitFor({ state: 'visible' });
  await page.locator('#enrol-qr svg').waitFor();
  assert.equal(await focused(page), '#enrol-heading');
  const secret = (await page.locator('#enrol-secret').innerText()).replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await shot(page, 'sign-in-enrol-da-1280');
  await checkA11y(page, 'enrolling an authenticator app (da)');
  // A wrong first code is refused; the right one enrols the app.
  await page.locator('#enrol-code').fill('000000');
  await page.locator('#enrol-code').press('Enter');
  await page.getByRole('alert').filter({ hasText: 'Koden er forkert. Prøv igen.' }).waitFor();
  await page.locator('#enrol-code').fill(await freshCode(secret));
  await page.locator('#enrol-code').press('Enter');
  await page.locator('#recovery-step').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#recovery-codes li').count(), 10);
  await checkA11y(page, 'the recovery codes (da)');
  await Promise.all([page.waitForURL(app.url('/orders')), page.getByRole('link', { name: 'Fortsæt' }).click()]);
  assertNoProblems(page);
});
