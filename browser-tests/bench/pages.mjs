// Times the main pages over HTTP, as the signed-in demo users see them, on
// whatever data the server at the given address holds (scripts/bench-pages
// serves the national demo). Each page is fetched WARMUP times, then RUNS
// times one after another; between pages, a baseline that does no work
// (`/healthz`) is timed in the same run, so that a noisy machine shows.
// Prints a Markdown table: median, 95th percentile and fastest, in ms.
//
//   node browser-tests/bench/pages.mjs http://127.0.0.1:8080 [RUNS]

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { enrol, freshCode } from '../harness.mjs';

const base = process.argv[2];
const RUNS = Number(process.argv[3] || 30);
const WARMUP = 3;
if (!base) {
  console.error('usage: node browser-tests/bench/pages.mjs BASE_URL [RUNS]');
  process.exit(2);
}

// The demo accounts' secrets, kept beside the data (an account enrols once).
const secretsFile = process.env.SAMVIRKE_BENCH_SECRETS;
const secrets = secretsFile && existsSync(secretsFile) ? JSON.parse(readFileSync(secretsFile, 'utf8')) : {};

let signIns = 0;

/** Signs in through the API (enrolling the account's app the first time); the session cookie. */
async function signIn(username) {
  // The server lets a few sign-ins from one address through at once, then one every 6 s.
  await new Promise((done) => setTimeout(done, signIns++ < 2 ? 0 : 6500));
  if (!secrets[username]) {
    secrets[username] = await enrol({ baseURL: base, signInSlot: async () => {} }, username);
    if (secretsFile) writeFileSync(secretsFile, JSON.stringify(secrets));
  }
  const secret = secrets[username];
  const post = (path, body, cookie, csrf) => fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...(csrf ? { 'x-csrf-token': csrf } : {}) },
    body: JSON.stringify(body),
  });
  const first = await post('/api/v1/session', { username, password: 'samvirke-demo' });
  const cookie = first.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await first.json();
  const second = await post('/api/v1/session/totp', { code: await freshCode(secret) }, cookie, csrf);
  if (second.status !== 200) throw new Error(`sign-in of ${username}: ${second.status} ${await second.text()}`);
  return second.headers.get('set-cookie').split(';')[0];
}

async function time(path, cookie) {
  const started = process.hrtime.bigint();
  const answer = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  const body = await answer.text();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (answer.status !== 200) throw new Error(`${path}: ${answer.status}`);
  return { ms, bytes: body.length, body };
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p95: at(0.95), min: s[0] };
}

/** The first link of a kind on a page. */
function firstLink(body, pattern) {
  const m = body.match(pattern);
  return m ? m[0].slice(6, -1) : null;
}

const rows = [];
async function measure(label, path, cookie) {
  if (!path) {
    rows.push(`| ${label} | (none in the data) | | | | |`);
    return null;
  }
  let last;
  for (let i = 0; i < WARMUP; i++) last = await time(path, cookie);
  const page = [];
  const baseline = [];
  for (let i = 0; i < RUNS; i++) {
    baseline.push((await time('/healthz')).ms);
    last = await time(path, cookie);
    page.push(last.ms);
  }
  const p = stats(page);
  const b = stats(baseline);
  const f = (x) => x.toFixed(1);
  rows.push(`| ${label} | \`${path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')}\` | ${f(p.median)} | ${f(p.p95)} | ${f(p.min)} | ${Math.round(last.bytes / 1024)} kB | ${f(b.median)} |`);
  return last.body;
}

const coordinator = await signIn('koordinator');
const practitioner = await signIn('medarbejder');
const caseworker = await signIn('sagsbehandler');

const overview = await measure('Coordinator: overview', '/overview', coordinator);
const courses = await measure('Coordinator: courses', '/courses', coordinator);
await measure('Coordinator: a referral', firstLink(courses, /href="\/referrals\/[0-9a-f-]{36}"/), coordinator);
await measure('Coordinator: a visit without a practitioner', firstLink(overview, /href="\/appointments\/[0-9a-f-]{36}"/), coordinator);
const day = await measure('Practitioner: my day', '/my-day', practitioner);
await measure('Practitioner: an appointment', firstLink(day, /href="\/appointments\/[0-9a-f-]{36}"/), practitioner);
const orders = await measure('Caseworker: orders', '/orders', caseworker);
await measure('Caseworker: a document received', firstLink(orders, /href="\/documents\/[0-9a-f-]{36}"/), caseworker);
await measure('Anyone: the sign-in page', '/sign-in', null);

console.log(`${RUNS} runs per page after ${WARMUP} warm-up runs, one request at a time; baseline: GET /healthz between runs.\n`);
console.log('| Page | Path | Median ms | p95 ms | Fastest ms | Size | Baseline median ms |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
