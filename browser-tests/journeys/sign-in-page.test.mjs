// Journey: the sign-in page before anyone signs in – both languages, on a
// desktop and on the narrowest phone, and its Tab order.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DESKTOP, NARROW, assertNoHorizontalScroll, assertNoProblems, checkA11y, focused, journey, shot,
} from '../harness.mjs';

const app = journey();

const TEXTS = {
  da: { title: 'Log ind', skip: 'Gå til sidens indhold', button: 'Log ind' },
  en: { title: 'Sign in', skip: 'Skip to content', button: 'Sign in' },
};

for (const lang of ['da', 'en']) {
  for (const [size, viewport] of [['1280', DESKTOP], ['320', NARROW]]) {
    test(`the sign-in page in ${lang} at ${size} px passes axe and fits`, async () => {
      const page = await app.newPage({ viewport });
      const answer = await page.goto(app.url(`/sign-in?lang=${lang}`));
      assert.equal(answer.status(), 200);
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      await assert.doesNotReject(page.getByRole('heading', { level: 1, name: TEXTS[lang].title }).waitFor());
      assert.ok(await page.getByRole('button', { name: TEXTS[lang].button }).isVisible());
      // The design system's font, from the server's /assets/dkfds/fonts.
      assert.ok(await page.evaluate(async () => {
        await document.fonts.ready;
        return document.fonts.check('16px "IBM Plex Sans"');
      }), 'IBM Plex Sans is loaded');
      await shot(page, `sign-in-${lang}-${size}`, { docs: size === '1280' });
      await assertNoHorizontalScroll(page);
      await checkA11y(page, `sign-in (${lang}, ${size} px)`);
      assertNoProblems(page);
    });
  }
}

test('Tab from the top reaches the skip link first, then the fields and the button', async () => {
  const page = await app.newPage();
  await page.goto(app.url('/sign-in?lang=da'));
  const order = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    order.push(await focused(page));
  }
  assert.equal(order[0], `a.skipnav[${TEXTS.da.skip}]`, `the first Tab stop: ${order.join(' → ')}`);
  const at = (name) => order.indexOf(name);
  const button = `button.button.button-primary[${TEXTS.da.button}]`;
  assert.ok(at('#username') > 0, `the username field is a Tab stop: ${order.join(' → ')}`);
  assert.ok(at('#password') === at('#username') + 1, `then the password: ${order.join(' → ')}`);
  assert.ok(at(button) === at('#password') + 1, `then the button: ${order.join(' → ')}`);

  // The skip link shows when focused and moves the focus to the content.
  await page.goto(app.url('/sign-in?lang=da'));
  await page.keyboard.press('Tab');
  // It slides in (a 0.2 s transition) and must end up inside the viewport.
  await assert.doesNotReject(page.waitForFunction(() => {
    const box = document.querySelector('a.skipnav').getBoundingClientRect();
    return box.top >= 0 && box.height > 0 && box.left >= 0;
  }, null, { timeout: 2000 }), 'the focused skip link comes on screen');
  await shot(page, 'sign-in-skip-link');
  await page.keyboard.press('Enter');
  assert.equal(await focused(page), '#main-content');
  assertNoProblems(page);
});

// The switch makes full page loads (hx-boost="false"): htmx would swap the
// body and title but leave <html lang> behind (WCAG 3.1.1 Language of Page).
test('the language switch changes the language of the whole page, <html lang> too', async () => {
  const page = await app.newPage();
  await page.goto(app.url('/sign-in?lang=en'));
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.getByRole('link', { name: 'Dansk' }).click();
  await page.waitForURL(app.url('/sign-in?lang=da'));
  await page.getByRole('heading', { level: 1, name: TEXTS.da.title }).waitFor();
  assert.equal(await page.title(), `${TEXTS.da.title} – Samvirke`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'da', 'the Danish page says lang="da"');
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(app.url('/sign-in?lang=en'));
  await page.getByRole('heading', { level: 1, name: TEXTS.en.title }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en', 'the English page says lang="en"');
  assertNoProblems(page);
});

test('the page a reset link opens passes axe in both languages and fits 320 px', async () => {
  for (const lang of ['da', 'en']) {
    for (const viewport of [DESKTOP, NARROW]) {
      const page = await app.newPage({ viewport });
      await page.goto(app.url(`/reset-password?token=not-a-real-token&lang=${lang}`));
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      await page.getByRole('heading', { level: 1, name: lang === 'da' ? 'Ny adgangskode' : 'New password' }).waitFor();
      // A link that does not work says so, next to the field.
      await page.locator('#new_password').fill('en helt ny adgangskode');
      await page.locator('#repeat').fill('en helt ny adgangskode');
      await page.locator('#repeat').press('Enter');
      await page.locator('#form-errors').waitFor();
      assert.match(await page.locator('#form-errors').innerText(), lang === 'da' ? /Linket virker ikke/ : /The link does not work/);
      await assertNoHorizontalScroll(page);
      await checkA11y(page, `the reset page (${lang}, ${viewport.width} px)`);
      assertNoProblems(page);
    }
  }
});
