// The browser tests' harness: a Samvirke server with demo data on a free
// port and a fresh data folder, Debian's Chromium driven by playwright-core,
// sign-in with the second factor, accessibility checks with axe-core, and
// screenshots. See README.md in this folder.
//
// A test file is one journey. It calls `journey()` at its top level, which
// starts the server and the browser before its tests and stops both after
// them (and kills the server if the process ends any other way), and gets
// pages with `app.newPage()`.

import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants as osConstants, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium, request } from 'playwright-core';

const require = createRequire(import.meta.url);

/** The repository's root: the server starts here, so that it finds its assets. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where every screenshot goes (git-ignored). */
export const SCREENSHOTS = join(ROOT, 'target', 'screenshots');
/** Where `UPDATE_SCREENSHOTS=1` (or `--update-docs`) copies the shots named for the documentation. */
export const DOCS_SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
/** The browser: Debian's Chromium (`apt-get install chromium`); playwright never downloads one here. */
export const CHROMIUM = process.env.SAMVIRKE_CHROMIUM || '/usr/bin/chromium';
/** The demo accounts' password. */
export const DEMO_PASSWORD = 'samvirke-demo';
/** The axe-core rule tags every page is checked against: WCAG 2.1 A and AA. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** Widths the pages must work at: a desktop and the narrowest phone (WCAG 1.4.10 Reflow). */
export const DESKTOP = { width: 1280, height: 800 };
export const NARROW = { width: 320, height: 640 };

const UPDATE_DOCS = process.env.UPDATE_SCREENSHOTS === '1' || process.argv.includes('--update-docs');

function binary() {
  const target = process.env.CARGO_TARGET_DIR
    ? resolve(ROOT, process.env.CARGO_TARGET_DIR)
    : join(ROOT, 'target');
  return process.env.SAMVIRKE_BIN ? resolve(ROOT, process.env.SAMVIRKE_BIN) : join(target, 'debug', 'samvirke');
}

async function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

// Servers still running; killed when the process ends, whatever the reason.
const running = new Set();
function killAll() {
  for (const child of running) {
    try { child.kill('SIGKILL'); } catch { /* gone already */ }
  }
  running.clear();
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => { killAll(); process.exit(128 + osConstants.signals[signal]); });
}

/**
 * Starts `samvirke serve --demo` on a free loopback port with a fresh data
 * folder (SQLite), from the repository's root, and waits for `/readyz`.
 * Returns `{ baseURL, stop, log }`; `stop()` kills it and removes the folder.
 */
export async function startServer() {
  const bin = binary();
  if (!existsSync(bin)) {
    throw new Error(`no server binary at ${bin}: run \`cargo build -p samvirke\` (scripts/browser-test does)`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'samvirke-browser-'));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const env = { ...process.env, SAMVIRKE_LOG: process.env.SAMVIRKE_LOG || 'warn' };
  // The tests' own database, whatever the developer's shell points at.
  delete env.SAMVIRKE_DATABASE_URL;
  delete env.SAMVIRKE_SECRET_KEY;
  const child = spawn(bin, [
    'serve', '--demo', '--dev-insecure-cookie',
    '--bind', `127.0.0.1:${port}`, '--data-dir', dataDir,
  ], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let log = '';
  child.stdout.on('data', (chunk) => { log += chunk; });
  child.stderr.on('data', (chunk) => { log += chunk; });
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; running.delete(child); });

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const gone = new Promise((ok) => child.once('exit', ok));
      if (await Promise.race([gone.then(() => true), sleep(5000, false, { ref: false })]) === false) {
        child.kill('SIGKILL');
        await gone;
      }
    }
    running.delete(child);
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`the server ended (${JSON.stringify(exited)}) before it was ready:\n${log}`);
    }
    try {
      const answer = await fetch(`${baseURL}/readyz`);
      if (answer.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer /readyz within 60 s:\n${log}`);
    }
    await sleep(100);
  }
  return { baseURL, stop, log: () => log, signInSlot: pacer(SIGN_IN_PACE) };
}

/**
 * The server allows 5 sign-in attempts (`POST /api/v1/session`) at once from
 * one address and then one every 6 s (crates/auth/src/rate_limit.rs), and
 * every test's browser comes from 127.0.0.1. The harness keeps under that
 * (4 at once, then one every 6.5 s) so that a journey never gets `429` by
 * accident: `enrol` waits for a slot, and so does every page's sign-in
 * request (see `journey().newPage`, which routes them through the pacer).
 */
const SIGN_IN_PACE = { interval: 6500, burst: 4 };

/** The same generic cell rate algorithm as the server's, as a queue to wait in. */
function pacer({ interval, burst }) {
  let tat = 0;
  let queue = Promise.resolve();
  return () => {
    queue = queue.then(async () => {
      const allowAt = Math.max(tat, Date.now()) + interval - interval * burst;
      if (Date.now() < allowAt) await sleep(allowAt - Date.now());
      tat = Math.max(tat, Date.now()) + interval;
    });
    return queue;
  };
}

/** Launches Chromium headless (Debian's, never a downloaded one). */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium chromium-driver`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // No sandbox: CI runs as root. /dev/shm is tiny in containers, and
    // Chromium crashes when it fills, so it uses /tmp instead.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

// --- The second factor -------------------------------------------------

function base32decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const char of text.toUpperCase().replace(/[=\s]/g, '')) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

const STEP = 30;

/** The RFC 6238 code (SHA-1, 30 s, 6 digits) of `secret` for time step `step`. */
export function totpAt(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const number = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(number % 1_000_000).padStart(6, '0');
}

const stepNow = (shift = 0) => Math.floor((Date.now() / 1000 + shift) / STEP);
const usedStep = new Map();

/**
 * A code of `secret` the server has not seen yet. The server accepts the
 * current step and one either side, each step once (a second code of the
 * same step is refused as a replay). So this takes the earliest step after
 * the last one used that stays accepted for at least 10 s more, and waits
 * for the next step only when all three are used.
 */
export async function freshCode(secret) {
  for (;;) {
    const earliest = stepNow(10) - 1;
    const latest = stepNow() + 1;
    const step = Math.max(earliest, (usedStep.get(secret) ?? -Infinity) + 1);
    if (step <= latest) {
      usedStep.set(secret, step);
      return totpAt(secret, step);
    }
    await sleep((STEP - (Date.now() / 1000) % STEP) * 1000 + 200);
  }
}

/**
 * Enrols an authenticator for a demo account through the JSON API (the
 * pages cannot enrol yet) and returns its TOTP secret. Once per account and
 * server: the second time, the API answers `totp_required`.
 */
export async function enrol(server, username, password = DEMO_PASSWORD) {
  const api = await request.newContext({ baseURL: server.baseURL });
  try {
    await server.signInSlot();
    const session = await api.post('/api/v1/session', { data: { username, password } });
    assert.equal(session.status(), 200, `sign-in of ${username}: ${await session.text()}`);
    const first = await session.json();
    assert.equal(first.second_factor, 'enrolment_required', `${username}: ${JSON.stringify(first)}`);
    const enrolled = await api.post('/api/v1/session/totp/enrol', {
      headers: { 'x-csrf-token': first.csrf_token },
    });
    assert.equal(enrolled.status(), 200, `enrolment of ${username}: ${await enrolled.text()}`);
    const { secret } = await enrolled.json();
    const confirmed = await api.post('/api/v1/session/totp/confirm', {
      headers: { 'x-csrf-token': first.csrf_token },
      data: { code: await freshCode(secret) },
    });
    assert.equal(confirmed.status(), 200, `confirmation of ${username}: ${await confirmed.text()}`);
    assert.equal((await confirmed.json()).signed_in, true);
    return secret;
  } finally {
    await api.dispose();
  }
}

// --- Pages ---------------------------------------------------------------

/**
 * Watches a page for what should never happen on Samvirke's pages: a script
 * error, a Content-Security-Policy violation, and an asset (`/assets/…`)
 * that did not load. `problems(page)` lists them.
 */
function watch(page) {
  const found = [];
  page.on('pageerror', (error) => found.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    // axe itself may add a <style> element while it runs (it does when a
    // stylesheet failed to load); the CSP refuses that, which is not the page's fault.
    if (axeRunning.has(page) && /inline style/i.test(message.text())) return;
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      found.push(`CSP: ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/assets/') && response.status() >= 400) {
      found.push(`asset ${url.pathname}: ${response.status()}`);
    }
  });
  page.on('requestfailed', (failed) => {
    const url = new URL(failed.url());
    const error = failed.failure()?.errorText;
    // ERR_ABORTED: the page navigated away while it was still loading (a font, say).
    if (url.pathname.startsWith('/assets/') && error !== 'net::ERR_ABORTED') found.push(`asset ${url.pathname}: ${error}`);
  });
  problemsOf.set(page, found);
  return page;
}
const problemsOf = new WeakMap();
const axeRunning = new WeakSet();

/** What `watch` saw on a page so far. */
export function problems(page) {
  return [...(problemsOf.get(page) ?? [])];
}

/** Fails when the page had a script error, a CSP violation or a missing asset. */
export function assertNoProblems(page) {
  assert.deepEqual(problems(page), [], `problems on ${page.url()}`);
}

/**
 * The accounts a journey signs in with: `secretOf(app, username)` enrols an
 * account the first time it is asked for and remembers its secret.
 */
export async function secretOf(app, username) {
  if (!app.secrets.has(username)) app.secrets.set(username, enrol(app.server, username));
  return app.secrets.get(username);
}

/**
 * Signs in through the sign-in page, as a person would: types the username
 * and the password, submits, types the code from the "app" (computed from
 * the secret enrolled through the API), submits, and waits for the start
 * page. Enrols the account first if the journey has not.
 */
export async function signIn(page, app, username, { password = DEMO_PASSWORD, lang } = {}) {
  const secret = await secretOf(app, username);
  await page.goto(`${app.baseURL}/sign-in${lang ? `?lang=${lang}` : ''}`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#sign-in-form button[type=submit]').click();
  const code = page.locator('#code');
  await code.waitFor({ state: 'visible' });
  await code.fill(await freshCode(secret));
  await Promise.all([
    // Signed in, a role goes on to its own page (the start page sends it on).
    page.waitForURL((url) => url.origin === app.baseURL && !url.pathname.startsWith('/sign-in')),
    page.locator('#totp-form button[type=submit]').click(),
  ]);
}

/**
 * Follows a link that shows another day or week («Dagen før», «Ugen efter»)
 * and waits until the page's lead line (the date) has changed: htmx swaps
 * the page without a `load` event.
 */
export async function followDay(page, name) {
  const before = await page.locator('.font-lead').innerText();
  await page.getByRole('link', { name }).click();
  await page.waitForFunction((b) => document.querySelector('.font-lead')?.innerText !== b, before);
}

/** Waits until the page has loaded and its web fonts are in (colours and sizes depend on them). */
export async function settled(page) {
  await page.waitForLoadState('load');
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/**
 * Names the focused element, for asserting Tab order: `#id` when it has an
 * id, else `tag.class.es[its text]`, and `body` when nothing is focused.
 */
export function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    if (el.id) return `#${el.id}`;
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ');
    const classes = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    return `${el.tagName.toLowerCase()}${classes}[${text}]`;
  });
}

// --- Accessibility -------------------------------------------------------

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core on the page as it is now, for WCAG 2.1 A and AA, and
 * returns the violations in a readable form (an empty list when there are
 * none).
 *
 * How axe gets into the page: the pages send `Content-Security-Policy:
 * default-src 'self'`, so `page.addScriptTag({ content })` (an inline
 * script) is refused, as it should be. `page.evaluate` with the source as a
 * string goes through the DevTools protocol (Runtime.evaluate), which the
 * page's CSP does not govern, so axe is defined in the page's main world
 * without switching CSP off (`bypassCSP: true` would also make the tests
 * blind to CSP violations of the pages themselves). Nothing of axe stays
 * after a navigation, so it is injected again on each check.
 */
export async function axeViolations(page, { exclude = [] } = {}) {
  await settled(page);
  let results;
  axeRunning.add(page);
  try {
    const present = await page.evaluate(() => typeof window.axe === 'object');
    if (!present) await page.evaluate(axeSource);
    results = await page.evaluate(
      async ({ tags, exclude }) => {
        const context = exclude.length ? { exclude: exclude.map((s) => [s]) } : document;
        return window.axe.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      },
      { tags: AXE_TAGS, exclude },
    );
  } finally {
    axeRunning.delete(page);
  }
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary, html: n.html })),
  }));
}

/** Formats violations, one rule a paragraph, each node on a line. */
export function formatViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n` +
      v.nodes.map((n) => `  - ${n.target}\n      ${n.html}\n      ${(n.summary || '').replace(/\n/g, '\n      ')}`).join('\n'))
    .join('\n\n');
}

/** Fails listing each axe violation (rule, impact, help, elements) on the page as it is now. */
export async function checkA11y(page, name, options) {
  const violations = await axeViolations(page, options);
  assert.equal(violations.length, 0,
    `axe found ${violations.length} WCAG 2.1 A/AA violation(s) on ${name} (${page.url()}):\n\n${formatViolations(violations)}\n`);
}

/** Fails when the page scrolls sideways at its viewport's width (WCAG 1.4.10 Reflow). */
export async function assertNoHorizontalScroll(page) {
  const { scrollWidth, width } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  assert.ok(scrollWidth <= width, `the page is ${scrollWidth} px wide at a ${width} px viewport`);
}

// --- Screenshots ---------------------------------------------------------

/**
 * Saves a full-page PNG as target/screenshots/NAME.png. With
 * `UPDATE_SCREENSHOTS=1` (or `--update-docs`), and `{ docs: true }`, it is
 * also copied to docs/screenshots/NAME.png for the documentation.
 */
export async function shot(page, name, { docs = false } = {}) {
  await settled(page);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  if (docs && UPDATE_DOCS) {
    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    copyFileSync(file, join(DOCS_SCREENSHOTS, `${name}.png`));
  }
  return file;
}

// --- A journey -----------------------------------------------------------

/**
 * Sets up a journey (one test file): a server and a browser for its tests.
 * Returns `app`, filled in before the first test runs:
 * - `app.baseURL` – the server's address;
 * - `app.newPage({ viewport, locale, pace })` – a page in a fresh browser
 *   context (its own cookies), watched for problems (see `watch`), its
 *   sign-in requests paced under the server's rate limit unless
 *   `pace: false`; closed with the browser after the journey;
 * - `app.enrol(username)` – enrols a demo account once, returns its secret;
 * - `app.signIn(page, username, { lang })` – signs in through the page;
 * - `app.url(path)` – the address of a path.
 */
export function journey() {
  const app = { secrets: new Map(), contexts: [] };
  before(async () => {
    app.server = await startServer();
    app.baseURL = app.server.baseURL;
    app.browser = await launchBrowser();
  });
  after(async () => {
    await app.browser?.close().catch(() => {});
    await app.server?.stop();
  });
  app.url = (path) => `${app.baseURL}${path}`;
  app.enrol = (username) => secretOf(app, username);
  app.signIn = (page, username, options) => signIn(page, app, username, options);
  app.newPage = async ({ viewport = DESKTOP, locale = 'da-DK', pace = true } = {}) => {
    const context = await app.browser.newContext({ viewport, locale, baseURL: app.baseURL });
    app.contexts.push(context);
    if (pace) {
      await context.route('**/api/v1/session', async (route) => {
        if (route.request().method() === 'POST') await app.server.signInSlot();
        await route.fallback();
      });
    }
    return watch(await context.newPage());
  };
  return app;
}
