// Journey 2 (part): the coordinator signs in and sees at a glance what needs
// them — new orders, visits without a practitioner, missing consents,
// decisions about to expire, documents past their deadline and hours near
// the ordered scope — on a desk and on a phone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NARROW, assertNoHorizontalScroll, assertNoProblems, checkA11y, journey, shot,
} from '../harness.mjs';

const app = journey();

const SECTIONS = [
  'Nye bestillinger',
  'Besøg uden medarbejder (14 dage)',
  'Manglende samtykker',
  'Afgørelser der udløber snart',
  'Skriftlige beskrivelser og breve over fristen',
  'Timer tæt på det bevilgede',
];

test('the coordinator lands on the overview with every section and its count', async () => {
  const page = await app.newPage();
  await app.signIn(page, 'koordinator');
  assert.equal(page.url(), app.url('/overview'));
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Overblik');
  // Today, written the Danish way with its week number.
  assert.match(await page.locator('.font-lead').innerText(), /^(mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag) \d{1,2}\. [a-zæø]+ \d{4} · uge \d{1,2}$/);
  for (const name of SECTIONS) {
    const heading = page.getByRole('heading', { level: 2, name: new RegExp(`^${name.replace(/[()]/g, '\\$&')} \\d+$`) });
    await heading.waitFor();
  }
  // The demo provider has visits without a practitioner in the coming fortnight: each links to the visit.
  const unassigned = page.locator('#unassigned tbody tr');
  assert.ok(await unassigned.count() > 0, 'the demo has visits without a practitioner');
  const summary = page.locator('.summary-grid a[href="#unassigned"] .summary-count');
  assert.equal(Number(await summary.innerText()), await unassigned.count());
  await shot(page, 'coordinator-overview-da-1280', { docs: true });
  await checkA11y(page, 'the overview (da, 1280 px)');

  // A visit without a practitioner opens its page.
  await unassigned.first().getByRole('link').click();
  await page.waitForURL(/\/appointments\/[0-9a-f-]{36}$/);
  await page.getByText('Ingen endnu').waitFor();
  await shot(page, 'appointment-unassigned-da-1280');
  await checkA11y(page, 'an unassigned visit (da, 1280 px)');
  assertNoProblems(page);
});

test('the overview in English, and at 320 px', async () => {
  const page = await app.newPage({ viewport: NARROW });
  await app.signIn(page, 'koordinator');
  await page.goto(app.url('/overview?lang=en'));
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Overview');
  await page.getByRole('heading', { level: 2, name: /^New orders \d+$/ }).waitFor();
  await shot(page, 'coordinator-overview-en-320');
  await assertNoHorizontalScroll(page);
  await checkA11y(page, 'the overview (en, 320 px)');
  assertNoProblems(page);
});

test('an administrator is refused the overview by a page that says so', async () => {
  const page = await app.newPage();
  await app.signIn(page, 'admin');
  const answer = await page.goto(app.url('/overview'));
  assert.equal(answer.status(), 403);
  await page.getByText('Du har ikke adgang til dette.').waitFor();
  await checkA11y(page, 'the error page (da, 1280 px)');
});
