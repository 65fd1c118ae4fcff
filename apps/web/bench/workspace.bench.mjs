// `pnpm bench:web`: how fast the workspace draws on the demo data, in Debian's Chromium.
//
// Starts `tenure demo` (150 accounts over 240 days; BENCH_DATA_DIR reuses a seeded folder),
// signs a workspace user in, and per round:
//   - loads /#/accounts cold (new browser context) and reads the Performance API mark the page
//     sets once the list is drawn (`tenure:accounts-drawn`, ms since navigation start);
//   - clicks the riskiest account and times click → `tenure:account-drawn` (header, facts,
//     factors, recommendations) and → both charts' canvases in the DOM;
//   - loads /#/accounts/<id> cold: navigation start → `tenure:account-drawn`.
// Reference in the same run: the same API calls from Node (the list page; the account's
// profile + risk + settings in parallel), so the page's own cost is the difference.
// Also reports the accounts page's initial JavaScript (gzip), against the 120 KB budget.
// BENCH_WATERFALL=1 also prints each cold account load's requests (start, end, wait).
import { execSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'apps/server/dist/cli.js');
const DIST = join(ROOT, 'apps/web/dist');
const PORT = Number(process.env.BENCH_PORT ?? 8197);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const USER = { email: 'bench@example.com', password: 'bench password 0123' };

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return { median: Math.round(median), min: Math.round(sorted[0]), max: Math.round(sorted.at(-1)) };
};
const fmt = (s) => `${s.median} ms (min ${s.min}, max ${s.max})`;

function initialJsGzip() {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const files = [
    ...[...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1]),
  ];
  return files.reduce((sum, file) => sum + gzipSync(readFileSync(join(DIST, file))).length, 0);
}

async function startDemo(dataDir) {
  const child = spawn(process.execPath, [CLI, 'demo'], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      PORT: String(PORT),
      HOST: '127.0.0.1',
      TENURE_DATA_DIR: dataDir,
      TENURE_ADMIN_TOKEN: ADMIN_TOKEN,
      TENURE_JOBS_INTERVAL_MINUTES: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Tenure is running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`tenure demo exited (${code}):\n${output}`)));
  });
  // The server answers before the demo's data is generated: measure on the complete data.
  while ((await fetch(`${ORIGIN}/healthz`)).headers.has('tenure-demo-data')) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return child;
}

async function admin(method, path, body) {
  const response = await fetch(`${ORIGIN}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

async function ensureUser() {
  const created = await admin('POST', '/v1/admin/users', USER);
  if (created.status !== 201 && created.status !== 409) {
    throw new Error(`creating the bench user: ${created.status} ${JSON.stringify(created.body)}`);
  }
  if (created.body?.id) {
    await admin('PUT', `/v1/admin/users/${created.body.id}/memberships/demo`, { role: 'admin' });
  }
}

/** The page's resource timings and the drawn mark, one line each, in start order. */
function waterfallOf(page) {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const rows = [[0, nav.responseEnd, nav.responseEnd - nav.requestStart, 'document']];
    for (const entry of performance.getEntriesByType('resource')) {
      const name = entry.name.replace(location.origin, '');
      rows.push([entry.startTime, entry.responseEnd, entry.responseEnd - entry.requestStart, name]);
    }
    rows.sort((a, b) => a[0] - b[0]);
    const drawn = performance.getEntriesByName('tenure:account-drawn')[0].startTime;
    return [
      ...rows.map(
        ([start, end, wait, name]) =>
          `${Math.round(start)} → ${Math.round(end)} (${Math.round(wait)})  ${name.slice(0, 90)}`,
      ),
      `${Math.round(drawn)}  drawn`,
    ];
  });
}

async function timed(fn) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function main() {
  if (!existsSync(join(DIST, 'index.html')) || !existsSync(CLI)) {
    throw new Error('Build first: pnpm build');
  }
  const dataDir = process.env.BENCH_DATA_DIR ?? mkdtempSync(join(os.tmpdir(), 'tenure-web-bench-'));
  console.log(
    `Starting tenure demo on ${ORIGIN} (data: ${dataDir}); seeding takes a few minutes the first time...`,
  );
  const demo = await startDemo(dataDir);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    await ensureUser();
    const signIn = await fetch(`${ORIGIN}/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(USER),
    });
    if (!signIn.ok) throw new Error(`sign-in: ${signIn.status} ${await signIn.text()}`);
    const cookie = signIn.headers.get('set-cookie').split(';')[0];
    const [name, value] = cookie.split('=');
    const headers = { cookie, 'x-tenure-project': 'demo' };
    const get = (path) =>
      fetch(`${ORIGIN}${path}`, { headers }).then((r) => {
        if (!r.ok) throw new Error(`${path}: ${r.status}`);
        return r.json();
      });
    const riskiest = (await get('/v1/accounts?sort=risk&limit=1')).accounts[0].accountId;

    const figures = {
      listDrawn: [],
      accountAfterClick: [],
      chartsAfterClick: [],
      accountCold: [],
      apiList: [],
      apiAccount: [],
    };
    const waterfalls = [];
    const loadBefore = os.loadavg()[0];
    // The commit of the builds being measured (read now: a checkout during the run changes it).
    let commit = 'unknown';
    try {
      commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
    } catch {}
    for (let round = 0; round < ROUNDS; round += 1) {
      // The reference first, on a quiet server (nothing of the browser's still running).
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      figures.apiList.push(await timed(() => get('/v1/accounts?sort=risk&limit=50')));
      const path = `/v1/accounts/${encodeURIComponent(riskiest)}`;
      figures.apiAccount.push(
        await timed(() => Promise.all([get(path), get(`${path}/risk`), get('/v1/settings')])),
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));

      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addCookies([{ name, value, url: ORIGIN }]);
      const page = await context.newPage();
      await page.goto(`${ORIGIN}/#/accounts`);
      await page.waitForFunction(
        () => performance.getEntriesByName('tenure:accounts-drawn').length > 0,
        null,
        { timeout: 60_000 },
      );
      figures.listDrawn.push(
        await page.evaluate(
          () => performance.getEntriesByName('tenure:accounts-drawn')[0].startTime,
        ),
      );

      const clickAt = await page.evaluate(() => performance.now());
      await page.locator('.accounts-table tbody tr th a').first().click();
      await page.waitForFunction(
        () => performance.getEntriesByName('tenure:account-drawn').length > 0,
        null,
        { timeout: 60_000 },
      );
      figures.accountAfterClick.push(
        (await page.evaluate(
          () => performance.getEntriesByName('tenure:account-drawn')[0].startTime,
        )) - clickAt,
      );
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid=score-chart] canvas') &&
          document.querySelector('[data-testid=activity-chart] canvas'),
        null,
        { timeout: 60_000, polling: 'raf' },
      );
      figures.chartsAfterClick.push((await page.evaluate(() => performance.now())) - clickAt);
      await context.close();

      const direct = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await direct.addCookies([{ name, value, url: ORIGIN }]);
      const accountPage = await direct.newPage();
      await accountPage.goto(`${ORIGIN}/#/accounts/${encodeURIComponent(riskiest)}`);
      await accountPage.waitForFunction(
        () => performance.getEntriesByName('tenure:account-drawn').length > 0,
        null,
        { timeout: 60_000 },
      );
      figures.accountCold.push(
        await accountPage.evaluate(
          () => performance.getEntriesByName('tenure:account-drawn')[0].startTime,
        ),
      );
      if (process.env.BENCH_WATERFALL) waterfalls.push(await waterfallOf(accountPage));
      await direct.close();
    }

    const result = Object.fromEntries(
      Object.entries(figures).map(([key, values]) => [key, stats(values)]),
    );
    const initialJs = initialJsGzip();
    const machine = {
      cores: os.cpus().length,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      chromium: browser.version(),
    };
    // The results file's shape: { name, date, commit, machine, command, figures }.
    const line = {
      name: 'web',
      date: new Date().toISOString(),
      commit,
      machine,
      // As run: the knobs that change what is measured are part of the command.
      command: [
        process.env.BENCH_DATA_DIR ? 'BENCH_DATA_DIR=<seeded demo>' : '',
        process.env.BENCH_ROUNDS ? `BENCH_ROUNDS=${ROUNDS}` : '',
        process.env.npm_lifecycle_event === 'bench:web'
          ? 'pnpm bench:web'
          : 'node apps/web/bench/workspace.bench.mjs',
      ]
        .filter(Boolean)
        .join(' '),
      figures: {
        rounds: ROUNDS,
        loadAverage: { before: loadBefore, after: os.loadavg()[0] },
        initialJsGzipBytes: initialJs,
        ...result,
      },
    };
    appendFileSync(join(ROOT, 'docs/benchmark-results.ndjson'), `${JSON.stringify(line)}\n`);
    console.log(`
Workspace on the demo data (${ROUNDS} rounds, ${machine.cores} cores, load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}, Chromium ${machine.chromium}):
  accounts page initial JS: ${(initialJs / 1024).toFixed(1)} KB gzip (budget 120 KB)
  accounts page, navigation → list drawn:     ${fmt(result.listDrawn)}  (target 1500 ms)
    reference, GET /v1/accounts?limit=50 from Node: ${fmt(result.apiList)}
  account page, click → drawn:                 ${fmt(result.accountAfterClick)}  (target 1000 ms)
  account page, click → both charts drawn:     ${fmt(result.chartsAfterClick)}
  account page, cold navigation → drawn:       ${fmt(result.accountCold)}
    reference, profile + risk + settings from Node: ${fmt(result.apiAccount)}
${JSON.stringify(line)}`);
    // BENCH_WATERFALL=1: where each cold account load spent its time (ms from navigation).
    for (const [round, rows] of waterfalls.entries()) {
      console.log(`\nCold account load, round ${round + 1}: start → end (server/network ms)`);
      for (const row of rows) console.log(`  ${row}`);
    }
  } finally {
    await browser.close();
    demo.kill('SIGTERM');
    await new Promise((resolve) => demo.once('exit', resolve));
    if (!process.env.BENCH_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
