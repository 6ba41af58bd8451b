// Journeys 3 and 4: right after a supervised visit the practitioner records
// that it was held, writes the written description and submits it; the
// coordinator approves it, the family's review is recorded with their
// comment, the coordinator sends it; the caseworker reads what was sent.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertNoHorizontalScroll, assertNoProblems, checkA11y, followDay, journey, shot,
} from '../harness.mjs';

const app = journey();
const PHONE = { width: 390, height: 844 };

/** Waits until the report's page shows it in the given state. */
async function state(page, name) {
  await page.locator('.fact-list strong', { hasText: new RegExp(`^${name}$`) }).waitFor();
}

/** Clicks a button that posts a form and waits for the text the next page shows. */
async function press(page, button, expect) {
  await page.getByRole('button', { name: button }).click();
  await page.getByText(expect, { exact: true }).first().waitFor();
}

test('from a held supervised visit to a description the caseworker reads', async () => {
  // The caseworker's children in supervised visitation (the description will reach them).
  const caseworker = await app.newPage();
  await app.signIn(caseworker, 'sagsbehandler');
  const ordered = await caseworker.locator('table', { hasText: 'Periode' }).locator('tbody tr')
    .filter({ hasText: 'Overvåget samvær' }).locator('td:first-child').allInnerTexts();
  assert.ok(ordered.length > 0, 'the demo caseworker has ordered supervised visitation');
  const theirs = new RegExp(ordered.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));

  // The practitioner, on a phone, the day after.
  const phone = await app.newPage({ viewport: PHONE });
  await app.signIn(phone, 'medarbejder');
  const visit = phone.locator('.session')
    .filter({ hasText: 'Overvåget samvær' })
    .filter({ hasText: theirs })
    .filter({ has: phone.locator('h2', { hasText: '· Samvær' }) })
    .filter({ has: phone.getByRole('link', { name: /^Registrér forløb og notat/ }) });
  for (let i = 0; i < 42 && (i === 0 || await visit.count() === 0); i++) await followDay(phone, '← Dagen før');
  assert.ok(await visit.count() > 0, 'the demo practitioner has a supervised visit waiting for its outcome');
  await visit.first().getByRole('link', { name: /^Registrér forløb og notat/ }).click();
  await phone.locator('#outcome-heading').waitFor();
  await phone.getByLabel('Afholdt').check();
  await phone.getByLabel('Hvem kom med barnet').fill('Plejemor');
  await phone.getByLabel('Notat til journalen').fill('Rolig stemning. Far læste højt for barnet.');
  await press(phone, 'Gem forløb og notat', 'Forløb og notat er gemt.');

  // The visit now asks for its written description.
  await phone.getByRole('link', { name: 'Skriv samværsbeskrivelse' }).click();
  await phone.getByRole('heading', { level: 1, name: 'Ny skriftlig beskrivelse af samvær' }).waitFor();
  assert.match(await phone.getByLabel('Overskrift').inputValue(), /^Skriftlig beskrivelse af samvær /);
  // Without a text the draft is refused, field by field, and nothing is created.
  await phone.getByRole('button', { name: 'Opret kladde' }).click();
  await phone.locator('#form-errors').getByText('Beskrivelse: Skal udfyldes.').waitFor();
  await checkA11y(phone, 'a refused description (da, 390 px)');
  await phone.getByLabel('Beskrivelse').fill('Far kom til tiden og hilste roligt på barnet. De læste en bog sammen, og barnet sad på fars skød det meste af tiden. Ved afslutningen sagde barnet selv farvel.');
  await press(phone, 'Opret kladde', 'Kladden er oprettet.');
  await state(phone, 'Kladde');
  const documentURL = phone.url().replace(/\?.*$/, '');
  assert.match(documentURL, /\/documents\/[0-9a-f-]{36}$/);
  await shot(phone, 'description-draft-da-390');
  await assertNoHorizontalScroll(phone);
  await checkA11y(phone, 'a draft description (da, 390 px)');
  await press(phone, 'Send til godkendelse', 'Beskrivelsen er flyttet videre.');
  await state(phone, 'Til godkendelse');
  // The practitioner can no longer change it.
  assert.equal(await phone.getByRole('button', { name: 'Gem ny version' }).count(), 0);
  assertNoProblems(phone);

  // The coordinator reviews it, the family's review is recorded, and it is sent.
  const desk = await app.newPage();
  await app.signIn(desk, 'koordinator');
  await desk.goto(documentURL);
  await state(desk, 'Til godkendelse');
  await checkA11y(desk, 'a description in review (da, 1280 px)');
  await press(desk, 'Godkend til familiens gennemlæsning', 'Beskrivelsen er flyttet videre.');
  await state(desk, 'Til gennemlæsning hos familien');
  await desk.getByLabel('Familiens kommentar').fill('Vi er enige i beskrivelsen.');
  await press(desk, 'Familien har læst den', 'Familiens gennemlæsning er registreret.');
  await shot(desk, 'description-family-review-da-1280');
  await checkA11y(desk, 'a description after the family review (da, 1280 px)');
  await press(desk, 'Send til sagsbehandleren', 'Sendt til sagsbehandleren.');
  await state(desk, 'Sendt');
  assertNoProblems(desk);

  // The caseworker who ordered it finds it among what arrived and reads it, with the family's comment.
  await caseworker.goto(app.url('/orders'));
  await caseworker.locator('table', { hasText: 'Leverandør' }).locator(`a[href="${new URL(documentURL).pathname}"]`).click();
  await caseworker.locator('.fact-list strong', { hasText: /^Sendt$/ }).waitFor();
  await caseworker.getByText('Vi er enige i beskrivelsen.').waitFor();
  await caseworker.getByText('Far kom til tiden', { exact: false }).waitFor();
  assert.equal(await caseworker.getByRole('button').filter({ hasText: /Send|Godkend|Arkivér/ }).count(), 0);
  await shot(caseworker, 'description-sent-caseworker-da-1280');
  await checkA11y(caseworker, 'a sent description, as the caseworker reads it (da, 1280 px)');
  assertNoProblems(caseworker);
});
