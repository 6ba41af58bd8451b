// Journey 7: the coordinator asks the planner for next week, sees the plan
// now against the proposal and each change with a tick box, and accepts the
// changes; the page says how many were saved. On a phone (320 px) the page
// has no horizontal scroll.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NARROW, assertNoHorizontalScroll, assertNoProblems, checkA11y, journey, shot,
} from '../harness.mjs';

const app = journey();

/** Waits until htmx has swapped in a page whose main text matches. */
async function waitForText(page, pattern, what) {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.querySelector('main')?.innerText ?? ''),
    pattern.source,
    { timeout: 30_000 },
  ).catch(async (e) => {
    throw new Error(`${what}: not shown (${page.url()}); the page says:\n${(await page.locator('main').innerText().catch(() => '')).slice(0, 3000)}`, { cause: e });
  });
}

test('next week\'s proposal: measured against the plan now, and accepted', async () => {
  const page = await app.newPage();
  await app.signIn(page, 'koordinator');
  await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Planlægning' }).click();
  await waitForText(page, /Få et forslag/, 'the planning page');
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Planlægning');
  await checkA11y(page, 'the planning page before a proposal (da, 1280 px)');

  await page.getByLabel('Næste uge').check();
  await page.getByRole('button', { name: 'Lav forslag' }).click();
  await waitForText(page, /Planen nu og forslaget/, 'the proposal');
  assert.match(await page.locator('#plan-scope').innerText(), /^\d+ aftaler er planlagt på ny, \d+ står fast/);
  const measures = await page.locator('#plan-measures tbody tr').allInnerTexts();
  assert.equal(measures.length, 6, measures.join('\n'));
  assert.match(measures[1], /^Med familiens faste medarbejder\s+\d+ %\s+\d+ %$/);
  await shot(page, 'planning-proposal-da-1280', { docs: true });
  await checkA11y(page, 'a proposal (da, 1280 px)');

  const ticks = page.locator('#plan-accept input[type="checkbox"][name="change"]');
  // The demo plans meetings outside some practitioners' hours, so next week always has something to change.
  const changes = await ticks.count();
  assert.ok(changes > 0, 'the demo week has changes to accept');
  for (let i = 0; i < changes; i += 1) {
    assert.equal(await ticks.nth(i).isChecked(), true, 'every change is ticked at first');
  }
  await page.getByRole('button', { name: 'Godkend de valgte ændringer' }).click();
  await waitForText(page, new RegExp(`${changes} ændringer er gemt`), 'the receipt');
  await page.locator('#plan-measures').waitFor();
  assertNoProblems(page);
});

test('the proposal on a phone', async () => {
  const page = await app.newPage({ viewport: NARROW });
  await app.signIn(page, 'koordinator');
  await page.goto(app.url('/planning?horizon=week&propose=1'));
  await waitForText(page, /Planen nu og forslaget/, 'the proposal');
  await assertNoHorizontalScroll(page);
  await checkA11y(page, 'a proposal (da, 320 px)');
  assertNoProblems(page);
});
