// Journey 5: the courses of the three programmes that are not visitation —
// home support with its methods and sessions held; the contact person with
// the focus areas chosen with the young person; the parent programme with
// its action plan (goals, actions, resources, phase) and progress over time.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NARROW, assertNoHorizontalScroll, assertNoProblems, checkA11y, journey, shot,
} from '../harness.mjs';

const app = journey();

/** Clicks a button that posts a form and waits for the text the next page shows. */
async function press(page, button, expect) {
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.getByText(expect, { exact: true }).first().waitFor();
}

/** Opens the first course of an intervention from the courses page. */
async function openCourse(page, intervention) {
  await page.goto(app.url('/courses'));
  await page.getByRole('navigation', { name: 'Vis forløb med indsatsen' }).getByRole('link', { name: intervention }).click();
  await page.locator('a[aria-current="page"]', { hasText: intervention }).waitFor();
  const first = page.locator('tbody tr').first();
  const child = await first.locator('td').first().innerText();
  await first.getByRole('link').click();
  await page.getByRole('heading', { level: 1, name: intervention }).waitFor();
  return child;
}

test('the parent programme: the action plan, a review with the parents, a new phase', async () => {
  const page = await app.newPage();
  await app.signIn(page, 'koordinator');
  await page.getByRole('link', { name: 'Forløb', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Forløb' }).waitFor();
  await checkA11y(page, 'the courses (da, 1280 px)');
  await openCourse(page, 'Målrettet støtte til forældre med anbragte børn');
  if (await page.getByRole('heading', { name: 'Start forældrehandleplanen' }).count() > 0) {
    await page.getByLabel('Mål', { exact: true }).fill('Vi kommer til tiden til samvær');
    await page.getByLabel('Første handling').fill('Sætte alarm på telefonen');
    await press(page, 'Opret planen', 'Handleplanen er opdateret.');
  }
  const plan = page.locator('#action-plan');
  await plan.getByRole('heading', { name: 'Forældrehandleplan' }).waitFor();
  await checkA11y(page, 'a parent action plan (da, 1280 px)');

  // A review with the parents: every open goal rated 6 of 10.
  await page.getByLabel('Dato for opfølgningen').fill(new Date().toISOString().slice(0, 10));
  const scores = page.locator('input[name="score"]');
  assert.ok(await scores.count() > 0, 'the plan has open goals to rate');
  for (let i = 0; i < await scores.count(); i++) await scores.nth(i).fill('6');
  await page.getByLabel('Noter fra opfølgningen').fill('Forældrene oplever fremgang.');
  await press(page, 'Gem opfølgning', 'Handleplanen er opdateret.');
  await plan.locator('meter[value="6"]').first().waitFor();
  await plan.getByRole('cell', { name: '6/10' }).first().waitFor();

  // A score out of range is refused with the field's message.
  await page.getByLabel('Dato for opfølgningen').fill(new Date().toISOString().slice(0, 10));
  await page.locator('input[name="score"]').first().fill('12');
  await page.getByRole('button', { name: 'Gem opfølgning' }).click();
  await page.locator('#form-errors').waitFor();
  assert.match(await page.locator('#form-errors').innerText(), /Mål: Skal være mellem 0 og 10\./);

  // A new goal, and the change phase.
  await page.getByLabel('Mål', { exact: true }).fill('Far deltager i forældremøder på skolen');
  await page.getByLabel('Første handling').fill('Skrive datoerne i kalenderen');
  await page.getByLabel('Hvem gør det').fill('Far');
  await press(page, 'Gem målet', 'Handleplanen er opdateret.');
  await plan.locator('.goal-list strong', { hasText: 'Far deltager i forældremøder på skolen' }).waitFor();
  await page.getByLabel('Fase', { exact: true }).selectOption('maintenance');
  await press(page, 'Gem fasen', 'Handleplanen er opdateret.');
  await plan.locator('.fact-list strong', { hasText: /^Vedligeholdelsesfase$/ }).waitFor();
  await shot(page, 'parent-programme-plan-da-1280', { docs: true });
  await checkA11y(page, 'a parent action plan after a review (da, 1280 px)');
  assertNoProblems(page);
});

test('the contact person: focus areas chosen with the young person', async () => {
  const page = await app.newPage();
  await app.signIn(page, 'koordinator');
  await openCourse(page, 'Fast kontaktperson');
  const focus = page.locator('#focus-areas');
  await focus.getByRole('heading', { name: 'Fokusområder' }).waitFor();
  const area = await page.getByLabel('Fokusområde').locator('option').first().innerText();
  await page.getByLabel('Hvad er aftalt med den unge').fill('Vi øver busturen til skolen hver tirsdag.');
  await press(page, 'Tilføj fokusområde', 'Fokusområdet er tilføjet.');
  await focus.getByText(area, { exact: true }).waitFor();
  await focus.getByText('Vi øver busturen til skolen hver tirsdag.').waitFor();
  await shot(page, 'contact-person-focus-da-1280');
  await checkA11y(page, 'a contact-person course (da, 1280 px)');
  assertNoProblems(page);
});

test('home support: its methods and the sessions held, on a phone', async () => {
  const page = await app.newPage({ viewport: NARROW });
  await app.signIn(page, 'koordinator');
  await openCourse(page, 'Praktisk pædagogisk støtte i hjemmet');
  await page.getByRole('heading', { name: 'Metoder i forløbet' }).waitFor();
  await page.getByRole('heading', { name: 'Afholdte aftaler' }).waitFor();
  await shot(page, 'home-support-da-320');
  await assertNoHorizontalScroll(page);
  await checkA11y(page, 'a home-support course (da, 320 px)');
  assertNoProblems(page);
});
