// Journey 6: the coordinator opens a room's week calendar, plans an
// appointment in a free slot (it appears in the week), then tries to move
// another appointment onto it and is shown the clash before saving; the save
// itself refuses it too. On a phone (320 px) the week is a list of days.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NARROW, assertNoHorizontalScroll, assertNoProblems, checkA11y, journey, shot,
} from '../harness.mjs';

const app = journey();

/** The late slot the journey plans in: after the demo's working day. */
const FROM = '20:00';
const TO = '20:45';
const SPAN = '20.00–20.45';

/** Waits until htmx has swapped in a page whose main text matches. */
async function waitForText(page, pattern, what) {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.querySelector('main')?.innerText ?? ''),
    pattern.source,
    { timeout: 10_000 },
  ).catch(async (e) => {
    throw new Error(`${what}: not shown (${page.url()}); the page says:\n${(await page.locator('main').innerText().catch(() => '')).slice(0, 3000)}`, { cause: e });
  });
}

test('a room\'s week: plan in a free slot, and a move onto it is shown as a clash before saving', async () => {
  const page = await app.newPage();
  await app.signIn(page, 'koordinator');
  await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Kalender' }).click();
  await page.locator('#calendar-week').waitFor();
  assert.match(new URL(page.url()).pathname, /^\/calendar$/);
  const h1 = await page.getByRole('heading', { level: 1 }).innerText();
  assert.match(h1, /^Kalender: .+/);
  const room = h1.replace(/^Kalender: /, '');
  assert.match(await page.locator('#calendar-week').innerText(), /^uge \d{1,2} · /);
  for (const day of ['mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag', 'søndag']) {
    assert.equal(await page.locator('.week-day-name', { hasText: day }).count(), 1, day);
  }
  await shot(page, 'calendar-room-week-da-1280', { docs: true });
  await checkA11y(page, 'a room\'s week (da, 1280 px)');

  // Plan a follow-up meeting today, late, in the room: the check says the slot is free before it is saved.
  const plan = page.locator('form[action="/calendar/appointments"]');
  const referral = plan.getByLabel('Bestilling');
  const referrals = await referral.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(referrals.length > 0, 'the coordinator has open orders to plan for');
  await referral.selectOption(referrals[0]);
  await plan.getByLabel('Type aftale').selectOption({ label: 'Opfølgningsmøde' });
  await plan.getByLabel('Sted', { exact: true }).selectOption({ label: room });
  await plan.getByLabel('Start').fill(FROM);
  await plan.getByLabel('Slut').fill(TO);
  const date = await plan.getByLabel('Dato').inputValue();
  await page.locator('#plan-conflicts').getByText('Ingen konflikter').waitFor({ timeout: 10_000 });
  await plan.getByRole('button', { name: 'Gem aftalen' }).click();
  await waitForText(page, /Aftalen er planlagt\./, 'the receipt');
  await page.locator('.entry-time', { hasText: SPAN }).waitFor();
  await shot(page, 'calendar-planned-da-1280');

  // Move another appointment of the week onto it: the clash is shown as soon as the time is chosen.
  const other = page.locator('.entry').filter({ hasNot: page.locator('.entry-time', { hasText: SPAN }) })
    .locator('a.entry-move');
  if (await other.count() === 0) {
    // A quiet week: plan a second one earlier the same evening to move.
    await plan.getByLabel('Bestilling').selectOption(referrals[0]);
    await plan.getByLabel('Type aftale').selectOption({ label: 'Opfølgningsmøde' });
    await plan.getByLabel('Dato').fill(date);
    await plan.getByLabel('Sted', { exact: true }).selectOption({ label: room });
    await plan.getByLabel('Start').fill('19:00');
    await plan.getByLabel('Slut').fill('19:30');
    await plan.getByRole('button', { name: 'Gem aftalen' }).click();
    await page.locator('.entry-time', { hasText: '19.00–19.30' }).waitFor();
  }
  // By keyboard: a focused entry opens up to show its link (a short one clips it until then).
  await other.first().focus();
  await page.keyboard.press('Enter');
  await page.locator('#move-heading').waitFor();
  const move = page.locator('section#move form');
  await move.getByLabel('Dato').fill(date);
  await move.getByLabel('Sted', { exact: true }).selectOption({ label: room });
  await move.getByLabel('Start').fill(FROM);
  await move.getByLabel('Slut').fill(TO);
  const clash = page.locator('#move-conflicts');
  await clash.getByText(`${room} er optaget ${SPAN}`).waitFor({ timeout: 10_000 });
  await shot(page, 'calendar-move-clash-da-1280', { docs: true });
  await checkA11y(page, 'a move with a clash (da, 1280 px)');

  // Saving anyway is refused with the same words, and the appointment stays where it was.
  await move.getByRole('button', { name: 'Gem flytningen' }).click();
  await page.locator('#move-conflicts [role="alert"]').waitFor({ timeout: 10_000 });
  assert.ok((await page.locator('#move-conflicts').innerText()).includes(`${room} er optaget ${SPAN}`));
  assert.equal(await page.locator('.entry-time', { hasText: SPAN }).count(), 1, 'only the planned one is there');
  await checkA11y(page, 'a refused move (da, 1280 px)');
  assertNoProblems(page);
});

test('the week on a phone: a list of days, no sideways scrolling', async () => {
  const page = await app.newPage({ viewport: NARROW });
  await app.signIn(page, 'koordinator');
  await page.goto(app.url('/calendar'));
  await page.locator('#calendar-week').waitFor();
  assert.match(await page.locator('#calendar-week').innerText(), /^uge \d{1,2} · /);
  await page.getByRole('link', { name: 'Ugen efter →' }).click();
  await page.waitForURL(/week=\d{4}-W\d{2}/);
  await page.locator('#calendar-week').waitFor();
  await shot(page, 'calendar-room-week-da-320', { docs: true });
  await assertNoHorizontalScroll(page);
  await checkA11y(page, 'a room\'s week (da, 320 px)');
  assertNoProblems(page);
});
