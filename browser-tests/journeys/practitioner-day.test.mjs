// Journey 3: a practitioner opens "my day" on a phone — today's sessions,
// where to be, the conditions to remember for each visit — records how a
// visit went with the note right after it in a few taps, and is told what is
// missing when the form is incomplete.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NARROW, assertNoHorizontalScroll, assertNoProblems, checkA11y, followDay, journey, shot,
} from '../harness.mjs';

const app = journey();
const PHONE = { width: 390, height: 844 };

/** Opens an appointment from the day and waits for its page. */
async function openAppointment(page, link) {
  await link.click();
  await page.locator('#outcome-heading').waitFor();
  assert.match(page.url(), /\/appointments\/[0-9a-f-]{36}$/);
}

test('my day on a phone: sessions, places and the conditions of each visit', async () => {
  const page = await app.newPage({ viewport: PHONE });
  await app.signIn(page, 'medarbejder');
  assert.equal(page.url(), app.url('/my-day'));
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Min dag');
  assert.match(await page.locator('.font-lead').innerText(), / · uge \d{1,2}$/);
  // Walk forward to a day with a visit (the demo plans two months ahead).
  for (let i = 0; i < 14 && await page.locator('.session').count() === 0; i++) {
    await followDay(page, 'Dagen efter →');
  }
  const sessions = page.locator('.session');
  assert.ok(await sessions.count() > 0, 'the demo practitioner has sessions within a fortnight');
  const first = sessions.first();
  await first.getByText('Sted').waitFor();
  assert.match(await first.locator('h2').innerText(), /^\d{2}\.\d{2}–\d{2}\.\d{2} · /);
  await shot(page, 'practitioner-day-da-390', { docs: true });
  await assertNoHorizontalScroll(page);
  await checkA11y(page, 'my day (da, 390 px)');
  assertNoProblems(page);
});

test('recording how a visit went, with a note, right after it', async () => {
  const page = await app.newPage({ viewport: PHONE });
  await app.signIn(page, 'medarbejder');
  // Walk back to a day before today with a session still waiting for its
  // outcome (one that has not begun cannot be recorded as held).
  const waiting = page.getByRole('link', { name: /^Registrér forløb og notat/ });
  for (let i = 0; i < 21 && (i === 0 || await waiting.count() === 0); i++) {
    await followDay(page, '← Dagen før');
  }
  assert.ok(await waiting.count() > 0, 'the demo leaves recent sessions without an outcome');
  await openAppointment(page, waiting.first());
  await checkA11y(page, 'an appointment (da, 390 px)');

  // Ended early, without saying why: the form says what is missing and keeps what was typed.
  await page.getByLabel('Afbrudt før tid').check();
  await page.getByLabel('Notat til journalen').fill('Samværet startede roligt.');
  await page.getByRole('button', { name: 'Gem forløb og notat' }).click();
  const errors = page.locator('#form-errors');
  await errors.waitFor();
  assert.match(await errors.innerText(), /Årsag: Skal udfyldes\./);
  assert.equal(await page.getByLabel('Notat til journalen').inputValue(), 'Samværet startede roligt.');
  await shot(page, 'appointment-outcome-refused-da-390');
  await checkA11y(page, 'a refused outcome form (da, 390 px)');

  // Held, with the note: saved, and the note is on the page.
  await page.getByLabel('Afholdt').check();
  await page.getByLabel('Notat til journalen').fill('Mor og barn legede med klodser. God kontakt.');
  await page.getByRole('button', { name: 'Gem forløb og notat' }).click();
  await page.getByText('Forløb og notat er gemt.').waitFor({ timeout: 10_000 }).catch(async (e) => {
    throw new Error(`not saved (${page.url()}); the page says:\n${await page.locator('main').innerText({ timeout: 2000 }).catch(async () => (await page.content()).slice(0, 3000))}`, { cause: e });
  });
  await page.getByText('Mor og barn legede med klodser. God kontakt.').waitFor();
  assert.ok(await page.getByLabel('Afholdt').isChecked());
  await shot(page, 'appointment-outcome-saved-da-390');
  await assertNoHorizontalScroll(page);
  await checkA11y(page, 'a saved outcome (da, 390 px)');
  assertNoProblems(page);
});

test('an appointment that has not begun cannot be recorded as held: the rule says why and what to do', async () => {
  const page = await app.newPage({ viewport: PHONE });
  await app.signIn(page, 'medarbejder');
  // Walk forward to a day after today with a session.
  const open = page.getByRole('link', { name: /^Registrér forløb og notat/ });
  for (let i = 0; i < 21 && (i === 0 || await open.count() === 0); i++) {
    await followDay(page, 'Dagen efter →');
  }
  await openAppointment(page, open.first());
  await page.getByLabel('Afholdt').check();
  await page.getByRole('button', { name: 'Gem forløb og notat' }).click();
  const rule = page.locator('#rule-explanation');
  await rule.waitFor();
  assert.match(await rule.innerText(), /kan først registreres, når den er begyndt/);
  assert.match(await rule.innerText(), /Det kan du gøre: Registrér udfaldet efter aftalen\./);
  await shot(page, 'appointment-outcome-rule-da-390');
  await checkA11y(page, 'an outcome blocked by a rule (da, 390 px)');
  assertNoProblems(page);
});

test('my day at 320 px, and the outcome form with the keyboard alone', async () => {
  const page = await app.newPage({ viewport: NARROW });
  await app.signIn(page, 'medarbejder');
  await assertNoHorizontalScroll(page);
  await checkA11y(page, 'my day (da, 320 px)');
  const waiting = page.getByRole('link', { name: /^Registrér forløb og notat/ });
  for (let i = 0; i < 21 && (i === 0 || await waiting.count() === 0); i++) await followDay(page, '← Dagen før');
  // Focus the session's link and follow it with Enter.
  await waiting.first().focus();
  await page.keyboard.press('Enter');
  await page.locator('#outcome-heading').waitFor();
  await assertNoHorizontalScroll(page);
  // Into the radio group with Tab, "Afholdt" with Space, on to the note, and submit with Enter on the button.
  await page.locator('#kind-held').focus();
  await page.keyboard.press('Space');
  assert.ok(await page.locator('#kind-held').isChecked());
  await page.locator('#note').focus();
  await page.keyboard.type('Kort notat skrevet med tastaturet.');
  await page.getByRole('button', { name: 'Gem forløb og notat' }).focus();
  await page.keyboard.press('Enter');
  await page.getByText('Forløb og notat er gemt.').waitFor();
  await page.getByText('Kort notat skrevet med tastaturet.').waitFor();
  await checkA11y(page, 'a saved outcome (da, 320 px)');
  assertNoProblems(page);
});
