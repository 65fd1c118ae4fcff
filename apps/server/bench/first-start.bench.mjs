// `pnpm bench:first-start`: the README's first start, timed on a fresh clone.
//
// Each round clones the repository's committed HEAD (BENCH_SOURCE, default this checkout) into a
// temporary folder, runs `pnpm install` and then `pnpm start` there (empty turbo cache, empty
// `.tenure-data`), and reads the demo's output as it comes: when the bundles are built, when the
// server is ready (the URL and keys are printed), when the accounts are written, the snapshots
// computed and the churn model trained, and when the demo's data is complete. Then it stops the
// demo with SIGINT and removes the clone. BENCH_ROUNDS (1) rounds, one after the other.
//
// The clock starts before `git clone` (a second or so), so the figures are a newcomer's wall time.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, recordRun, summary } from './bench-kit.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const SOURCE = process.env.BENCH_SOURCE ?? ROOT;
const PORT = Number(process.env.BENCH_PORT ?? 19290);
const LIMIT_MS = 15 * 60_000;

const load = () => Number(os.loadavg()[0].toFixed(1));
const seconds = (ms) => Math.round(ms / 100) / 10;

/** Runs a command to its end; rejects on a non-zero exit. */
function run(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')}: exit ${code}`)),
    );
  });
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The moments of a first start, from lines of the demo's output. */
const MILESTONES = [
  ['bundled', /^\s*Time:\s/],
  ['ready', /^Tenure is running at /],
  ['accountsWritten', /events written \(\d+ already there\)/],
  ['snapshotsDone', /^Training the churn model/],
  ['complete', /^The demo data is complete\./],
];

async function round(index) {
  const dir = mkdtempSync(join(os.tmpdir(), 'tenure-first-start-'));
  const started = performance.now();
  const at = {};
  const loads = { start: load() };
  try {
    await run('git', ['clone', '--quiet', SOURCE, dir]);
    at.cloned = performance.now() - started;
    await run('pnpm', ['install'], dir);
    at.installed = performance.now() - started;
    // The defaults a newcomer has: the embedded database in the clone's .tenure-data.
    const env = { ...process.env, PORT: String(PORT), HOST: '127.0.0.1' };
    delete env.DATABASE_URL;
    delete env.TENURE_DATA_DIR;
    const child = spawn('pnpm', ['start'], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const lines = [];
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no complete demo in 15 minutes')), LIMIT_MS);
      const onLine = (line) => {
        lines.push(line);
        for (const [name, pattern] of MILESTONES) {
          if (at[name] === undefined && pattern.test(line)) {
            at[name] = performance.now() - started;
            if (name === 'ready') loads.ready = load();
          }
        }
        if (at.complete !== undefined) {
          clearTimeout(timer);
          resolve();
        }
      };
      createInterface({ input: child.stdout }).on('line', onLine);
      createInterface({ input: child.stderr }).on('line', onLine);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(
          new Error(
            `pnpm start exited (${code}) before the data was complete:\n${lines.join('\n')}`,
          ),
        );
      });
    });
    loads.complete = load();
    // Ctrl+C to the whole group (pnpm and the demo under it); wait until all of it has ended.
    process.kill(-child.pid, 'SIGINT');
    while (groupAlive(child.pid)) await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const figures = {
    cloneSeconds: seconds(at.cloned),
    installSeconds: seconds(at.installed - at.cloned),
    bundleSeconds: seconds(at.bundled - at.installed),
    openToReadySeconds: seconds(at.ready - at.bundled),
    readySeconds: seconds(at.ready),
    generationSeconds: seconds(at.accountsWritten - at.ready),
    snapshotsSeconds: seconds(at.snapshotsDone - at.accountsWritten),
    trainingSeconds: seconds(at.complete - at.snapshotsDone),
    completeSeconds: seconds(at.complete),
    loadAverage: loads,
  };
  console.log(`round ${index + 1}: ${JSON.stringify(figures)}`);
  return figures;
}

const rounds = [];
for (let index = 0; index < ROUNDS; index += 1) rounds.push(await round(index));
const ready = summary(rounds.map((r) => r.readySeconds));
const complete = summary(rounds.map((r) => r.completeSeconds));
recordRun({
  name: 'first-start',
  command: `BENCH_ROUNDS=${ROUNDS} pnpm bench:first-start`,
  figures: { rounds: rounds.length, readySeconds: ready, completeSeconds: complete, each: rounds },
});

console.log(`
| round | clone | install | bundle | open, migrate, demo project | **ready** | accounts | snapshots | training | **data complete** | load (start / ready / complete) |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|
${rounds
  .map(
    (r, i) =>
      `| ${i + 1} | ${r.cloneSeconds} | ${r.installSeconds} | ${r.bundleSeconds} | ${r.openToReadySeconds} | **${r.readySeconds}** | ${r.generationSeconds} | ${r.snapshotsSeconds} | ${r.trainingSeconds} | **${r.completeSeconds}** | ${r.loadAverage.start} / ${r.loadAverage.ready} / ${r.loadAverage.complete} |`,
  )
  .join('\n')}

Ready: median ${ready.median} s (${ready.min}–${ready.max}); data complete: median ${complete.median} s (${complete.min}–${complete.max}).
`);
