// Journeys 1 and 2: a caseworker orders supported visitation from the
// catalogue with its work goals and conditions; the coordinator sees the new
// order on the overview, accepts it with the family's usual practitioner and
// plans the start meeting in a room; the caseworker sees the meeting planned.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NARROW, assertNoHorizontalScroll, assertNoProblems, checkA11y, journey, shot,
} from '../harness.mjs';

const app = journey();

/** A day `days` from today, as a date field takes it. */
function day(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Clicks a button that posts a form and waits for the text the next page shows. */
async function press(page, button, expect) {
  await page.getByRole('button', { name: button }).click();
  await page.getByText(expect, { exact: true }).first().waitFor({ timeout: 10_000 }).catch(async (e) => {
    throw new Error(`"${expect}" is not shown; the page says:\n${await page.locator('main').innerText()}`, { cause: e });
  });
}

test('an order from the caseworker to a planned start meeting', async () => {
  const caseworker = await app.newPage();
  await app.signIn(caseworker, 'sagsbehandler');
  assert.equal(caseworker.url(), app.url('/orders'));
  assert.equal(await caseworker.getByRole('heading', { level: 1 }).innerText(), 'Bestillinger');
  await checkA11y(caseworker, 'the orders (da, 1280 px)');
  await shot(caseworker, 'orders-da-1280');

  await caseworker.getByRole('link', { name: 'Bestil en indsats' }).click();
  await caseworker.getByRole('heading', { level: 1, name: 'Bestil en indsats' }).waitFor();
  await checkA11y(caseworker, 'the order form (da, 1280 px)');
  // An empty order is refused with what is missing, each linked to its field.
  await caseworker.getByRole('button', { name: 'Send bestillingen' }).click();
  const errors = caseworker.locator('#form-errors');
  await errors.waitFor();
  assert.match(await errors.innerText(), /Barnet \(sagen\): Skal udfyldes\./);
  await checkA11y(caseworker, 'a refused order (da, 1280 px)');

  const caseSelect = caseworker.getByLabel('Barnet (sagen)');
  const firstCase = await caseSelect.locator('option').nth(1);
  const child = (await firstCase.innerText()).replace(/ \(.*\)$/, '');
  await caseSelect.selectOption({ index: 1 });
  await caseworker.getByLabel('Støttet samvær').check();
  await caseworker.getByLabel('Arbejdsmål').fill('Mor og barn får trygge samvær\nMor lærer at aflæse barnets signaler');
  await caseworker.getByLabel('Første dag').fill(day(7));
  await caseworker.getByLabel('Sidste dag').fill(day(180));
  await caseworker.getByLabel('Bevilgede timer i perioden').fill('40');
  await caseworker.getByLabel('Antal gange').fill('1');
  await caseworker.getByLabel('pr. antal uger').fill('2');
  await caseworker.getByLabel('Sted', { exact: true }).selectOption('provider_premises');
  await caseworker.getByLabel('Varighed af hvert samvær (minutter)').fill('120');
  // Early on Sundays, when the demo provider's rooms and staff are free.
  await caseworker.getByLabel('Ugedag').selectOption('sunday');
  await caseworker.getByLabel('Starttid').fill('07:00');
  await caseworker.getByLabel('Sluttid').fill('08:30');
  await caseworker.getByLabel('Hver hvor mange uger').fill('1');
  await caseworker.getByLabel('Emner der ikke må tales om').fill('Anbringelsen');
  await caseworker.getByLabel('Mad', { exact: true }).selectOption('allowed');
  await caseworker.getByLabel('Fotografering').selectOption('not_allowed');
  await shot(caseworker, 'order-form-da-1280');
  await press(caseworker, 'Send bestillingen', 'Bestillingen er sendt til leverandøren.');
  const referralURL = caseworker.url().replace(/\?.*$/, '');
  assert.match(referralURL, /\/referrals\/[0-9a-f-]{36}$/);
  await caseworker.getByText('Mor lærer at aflæse barnets signaler').waitFor();
  await caseworker.locator('.fact-list strong', { hasText: /^Modtaget$/ }).waitFor();
  await checkA11y(caseworker, 'an order as sent (da, 1280 px)');
  assertNoProblems(caseworker);

  // The coordinator sees it among the new orders and accepts it.
  const coordinator = await app.newPage();
  await app.signIn(coordinator, 'koordinator');
  const row = coordinator.locator('#new-orders tbody tr', { hasText: child }).filter({ hasText: 'Støttet samvær' });
  await row.first().getByRole('link').click();
  await coordinator.getByRole('heading', { level: 2, name: 'Tag imod bestillingen' }).waitFor();
  // Without a practitioner the rule explains itself.
  await coordinator.getByRole('button', { name: 'Tag imod' }).click();
  const refusal = coordinator.locator('#rule-explanation');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /Der er bestilt 1 medarbejder\(e\); der er tildelt 0\.[\s\S]*Tildel koordinator og medarbejdere\./);
  await checkA11y(coordinator, 'an acceptance refused (da, 1280 px)');
  await coordinator.getByLabel('Fast medarbejder for familien').selectOption({ index: 1 });
  await press(coordinator, 'Tag imod', 'Bestillingen er modtaget, og medarbejderen er tildelt.');
  await coordinator.locator('.fact-list strong', { hasText: /^Accepteret$/ }).waitFor();

  // The start meeting, in a room, a week from now.
  await coordinator.getByLabel('Slags aftale').selectOption('start_meeting');
  await coordinator.getByLabel('Dag', { exact: true }).fill(day(8));
  await coordinator.getByLabel('Starttid').fill('09:00');
  await coordinator.getByLabel('Sluttid').fill('10:00');
  await coordinator.locator('form[action$="/plan"]').getByLabel('Sted').selectOption({ index: 0 });
  await press(coordinator, 'Planlæg', 'Aftalen er planlagt.');
  await coordinator.locator('table', { hasText: 'Opstartsmøde' }).waitFor();

  // The visits as a series in a room: first the proposal (holidays and
  // blocked days skipped, each with why), then all of them at once.
  const series = coordinator.locator('#series');
  await series.getByText('hver søndag kl. 07.00–08.30').waitFor({ timeout: 5000 }).catch(async (e) => {
    throw new Error(`no series form; the page says:\n${await coordinator.locator('main').innerText()}`, { cause: e });
  });
  await series.getByLabel('Sted').selectOption({ index: 0 });
  await series.getByRole('button', { name: 'Vis forslag' }).click();
  await coordinator.locator('#series').getByRole('heading', { name: /^Samvær der planlægges \(\d+\)$/ }).waitFor();
  const heading = await coordinator.locator('#series').getByRole('heading', { name: /^Samvær der planlægges/ }).innerText();
  assert.ok(Number(heading.match(/\((\d+)\)/)[1]) > 0, `the proposal has visits: ${await coordinator.locator('#series').innerText()}`);
  await checkA11y(coordinator, 'a proposed series of visits (da, 1280 px)');
  await press(coordinator, 'Planlæg samværene', 'Samværene er planlagt.');
  assert.ok(await coordinator.locator('table', { hasText: 'Opstartsmøde' }).locator('tbody tr', { hasText: 'Samvær' }).count() > 0);
  await shot(coordinator, 'referral-accepted-da-1280');
  await checkA11y(coordinator, 'an accepted order with its start meeting (da, 1280 px)');
  assertNoProblems(coordinator);

  // The caseworker sees the meeting planned.
  await caseworker.goto(app.url('/orders'));
  await caseworker.locator('table', { hasText: 'Opstartsmøde' }).filter({ hasText: child }).waitFor();
  assertNoProblems(caseworker);
});

test('the orders at 320 px', async () => {
  const page = await app.newPage({ viewport: NARROW });
  await app.signIn(page, 'sagsbehandler');
  await shot(page, 'orders-da-320');
  await assertNoHorizontalScroll(page);
  await checkA11y(page, 'the orders (da, 320 px)');
});
