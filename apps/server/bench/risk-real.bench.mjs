// pnpm bench:risk-real [folder] — the learned churn model on real behaviour and churn: the OULAD
// "B" presentations (../shared/data/oulad-b by default; never in the repository) replayed
// through the ingest API into one project on Postgres, then POST /v1/model/backtest as of day 60
// of 2014B: the product trains on its own point-in-time snapshots of the history before that
// day, scores every active account then, and compares with who withdrew in the 60 days after.
// The task's accounts are the 2014B registrations (the 2013B ones have finished their course);
// the published references for it are in the data's README. BENCH_REUSE=1 keeps a database
// already loaded by an earlier run. See docs/risk.md and shared/bench.md.
import { rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  ADMIN_URL,
  appendToBenchmarks,
  CLI,
  databaseUrl,
  percentile,
  ROOT,
  recordRun,
  recreateDatabase,
  rssMb,
  startProcess,
  stopProcess,
} from './bench-kit.mjs';
import { ouladFolder, replayOulad } from './oulad-replay.mjs';

const DATABASE = process.env.BENCH_DATABASE ?? 'tenure_bench_risk_real';
// BENCH_ENGINE=pglite runs on the embedded database in a folder of its own (replayed each run).
const PGLITE = process.env.BENCH_ENGINE === 'pglite';
const DATA_DIR = join(tmpdir(), 'tenure-bench-risk-real-pglite');
const PORT = 18_520;
const ADMIN_TOKEN = 'bench-risk-real-admin-token';
const AS_OF = '2024-04-01T00:00:00.000Z'; // day 60 of 2014B
const HORIZON_DAYS = 60;
// The data's README: features computed straight from the events, regression trained on 2013B.
const REFERENCES = { recency: 0.566, defaultWeights: 0.582, nineFeatureRegression: 0.631 };

const folder = ouladFolder(process.argv[2] ?? join(ROOT, '..', 'shared', 'data', 'oulad-b'));
const base = `http://127.0.0.1:${PORT}`;

async function api(method, path, key, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** Area under the ROC curve by the rank-sum formula (ties count half). */
function auc(scores, labels) {
  const order = scores
    .map((score, i) => ({ score, label: labels[i] }))
    .sort((a, b) => a.score - b.score);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j].score === order[i].score) j += 1;
    for (let k = i; k < j; k += 1) {
      if (order[k].label) {
        positives += 1;
        rankSum += (i + 1 + j) / 2;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function deciles(probabilities, labels) {
  const order = probabilities.map((p, i) => ({ p, label: labels[i] })).sort((a, b) => a.p - b.p);
  return Array.from({ length: 10 }, (_, bin) => {
    const slice = order.slice(
      Math.floor((bin * order.length) / 10),
      Math.floor(((bin + 1) * order.length) / 10),
    );
    const churners = slice.filter((row) => row.label).length;
    const predicted = slice.reduce((sum, row) => sum + row.p, 0) / slice.length;
    const observed = churners / slice.length;
    return { bin: bin + 1, count: slice.length, churners, predicted, observed };
  });
}

async function loadedProject() {
  if (process.env.BENCH_REUSE && !PGLITE) {
    const client = new pg.Client({ connectionString: databaseUrl(DATABASE) });
    await client.connect();
    const { rows } = await client.query("select id from projects where lower(name) = 'oulad'");
    await client.end();
    if (rows[0]) return { reused: true, projectId: rows[0].id };
  }
  return { reused: false };
}

async function main() {
  const reuse = await loadedProject().catch(() => ({ reused: false }));
  if (PGLITE) rmSync(DATA_DIR, { recursive: true, force: true });
  const database = PGLITE
    ? { TENURE_DATA_DIR: DATA_DIR }
    : { DATABASE_URL: reuse.reused ? databaseUrl(DATABASE) : await recreateDatabase(DATABASE) };
  const server = await startProcess(
    CLI,
    ['serve'],
    { ...database, PORT: String(PORT), HOST: '127.0.0.1', TENURE_ADMIN_TOKEN: ADMIN_TOKEN },
    `${base}/readyz`,
  );
  let peakMb = 0;
  const sampler = setInterval(() => {
    peakMb = Math.max(peakMb, rssMb(server.pid) ?? 0);
  }, 200);
  try {
    let project;
    if (reuse.reused) {
      const rotated = await api('POST', `/v1/admin/projects/${reuse.projectId}/keys`, ADMIN_TOKEN, {
        kind: 'secret',
      });
      project = { projectId: reuse.projectId, secretKey: rotated.key };
      console.log(`Reusing the loaded project ${reuse.projectId}`);
    } else {
      project = await api('POST', '/v1/admin/projects', ADMIN_TOKEN, { name: 'OULAD' });
      const started = Date.now();
      let shown = 0;
      // Revenue events (subscription_*) need a server-side credential: the secret key.
      const replayed = await replayOulad({
        folder,
        url: base,
        credential: `Bearer ${project.secretKey}`,
        onProgress: ({ sent }) => {
          if (sent - shown >= 250_000) {
            shown = sent;
            console.log(
              `  replayed ${sent} events, ${((Date.now() - started) / 1000).toFixed(0)} s`,
            );
          }
        },
      });
      console.log(
        `Replayed ${replayed.accepted} events in ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
    }
    peakMb = 0;
    const job = await api('POST', '/v1/model/backtest', project.secretKey, {
      asOf: AS_OF,
      horizonDays: HORIZON_DAYS,
      includePredictions: true,
      wait: false,
    });
    let state = job;
    let lastStep = '';
    while (state.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      state = await api('GET', `/v1/model/jobs/${job.id}`, project.secretKey);
      const step =
        state.progress && `${state.progress.step} ${state.progress.done}/${state.progress.total}`;
      if (step && step !== lastStep && state.progress.done === state.progress.total) {
        console.log(
          `  ${step} (${((Date.now() - Date.parse(state.startedAt)) / 1000).toFixed(0)} s)`,
        );
      }
      lastStep = step ?? lastStep;
    }
    if (state.status !== 'succeeded')
      throw new Error(`backtest failed: ${JSON.stringify(state.error)}`);
    const trainingPeakMb = peakMb;
    const latency = await learnedLatency(project.secretKey, state.result.predictions);
    report(state.result, state.durationMs, trainingPeakMb, latency);
  } finally {
    clearInterval(sampler);
    await stopProcess(server);
  }
}

const timed = async (path, key) => {
  const started = performance.now();
  const body = await api('GET', path, key);
  return { ms: performance.now() - started, body };
};

/**
 * What answering costs with the learned model in use: it is trained and stored as of day 60,
 * and once the stored scores are re-scored with it, one account's risk is asked for 200 accounts
 * active that day (as of then, and now: the model answers for every later time too), and the
 * list by risk is walked page by page (500 a page), now (stored scores) and as of that day.
 */
async function learnedLatency(key, predictions) {
  const trained = await api('POST', '/v1/model/train', key, {
    asOf: AS_OF,
    horizonDays: HORIZON_DAYS,
  });
  if (!trained.adopted) return { adopted: false, decision: trained.report.decision };
  // The adoption re-scores the stored list in the background: measure once it is done.
  for (let i = 0; i < 600; i += 1) {
    const { body } = await timed('/v1/accounts?limit=1', key);
    if (!body.stale && body.pending === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const ids = predictions.map((row) => row.accountId);
  const picked = Array.from({ length: 220 }, (_, i) => ids[(i * 7919) % ids.length]);
  const oneAccount = async (query) => {
    const times = [];
    for (const id of picked) {
      const { ms } = await timed(`/v1/accounts/${encodeURIComponent(id)}/risk${query}`, key);
      times.push(ms);
    }
    const measured = times.slice(20); // the first 20 warm the caches
    return { p50: percentile(measured, 50), p95: percentile(measured, 95) };
  };
  const asOfAnswer = await oneAccount(`?asOf=${AS_OF}`);
  const nowAnswer = await oneAccount('');
  return {
    adopted: true,
    oneAccountAsOf: asOfAnswer,
    oneAccountNow: nowAnswer,
    listNow: await walkList(key, ''),
    listAsOf: await walkList(key, `&asOf=${AS_OF}`),
  };
}

/** The whole list by risk, 500 a page: the first page's time and the walk's. */
async function walkList(key, query) {
  let cursor = null;
  let pages = 0;
  let accounts = 0;
  let firstPageMs = 0;
  const started = performance.now();
  do {
    const path = `/v1/accounts?sort=risk&limit=500${query}${cursor ? `&cursor=${cursor}` : ''}`;
    const { ms, body } = await timed(path, key);
    if (pages === 0) firstPageMs = ms;
    pages += 1;
    accounts += body.accounts.length;
    cursor = body.nextCursor;
  } while (cursor);
  return { accounts, pages, firstPageMs, walkMs: performance.now() - started };
}

function report(backtest, durationMs, peakMb, latency) {
  const task = backtest.predictions.filter((row) => row.accountId.includes('-2014B-'));
  const labels = task.map((row) => (row.churned ? 1 : 0));
  const figures = {
    accounts: task.length,
    churned: labels.reduce((sum, label) => sum + label, 0),
    learned: auc(
      task.map((row) => row.churnProbability),
      labels,
    ),
    defaultWeights: auc(
      task.map((row) => row.defaultScore),
      labels,
    ),
    recency: auc(
      task.map((row) => row.daysSinceLastLogin ?? Number.MAX_SAFE_INTEGER),
      labels,
    ),
  };
  const calibration = deciles(
    task.map((row) => row.churnProbability),
    labels,
  );
  const checked = calibration.filter((bin) => bin.churners >= 20);
  const worstRatio = Math.max(
    ...checked.map((bin) => Math.max(bin.predicted / bin.observed, bin.observed / bin.predicted)),
  );
  const training = backtest.training;
  const f = (value) => value.toFixed(3);
  const lines = [
    `OULAD 2014B, as of day 60 (${AS_OF.slice(0, 10)}): ${figures.accounts} registrations still active, ` +
      `${figures.churned} withdrew within ${HORIZON_DAYS} days`,
    '',
    '| model | AUC (this run) | reference (data README) |',
    '|---|---:|---:|',
    `| Tenure learned model (trained by the product as of that day) | ${f(figures.learned)} | target ≥ ${REFERENCES.nineFeatureRegression} |`,
    `| Tenure default weights | ${f(figures.defaultWeights)} | ${REFERENCES.defaultWeights} |`,
    `| recency of the last login alone | ${f(figures.recency)} | ${REFERENCES.recency} |`,
    `| logistic regression on 9 features, trained on day 60 of 2013B | – | ${REFERENCES.nineFeatureRegression} |`,
    '',
    `Learned model calibration by decile (predicted / observed, churners): ${calibration
      .map((bin) => `${f(bin.predicted)}/${f(bin.observed)} (${bin.churners})`)
      .join(
        ', ',
      )}; worst ratio in deciles with ≥ 20 churners: ${worstRatio.toFixed(2)} (target ≤ 1.5).`,
    `All ${backtest.accounts} accounts active then (2013B included): AUC learned ${f(backtest.learned.auc)}, ` +
      `default ${f(backtest.default.auc)}, recency ${f(backtest.recency.auc)}; Brier ${backtest.learned.brier}.`,
    `Training: ${training.training.snapshots.length} weekly snapshots, ${training.training.rows} account-snapshots ` +
      `(${training.training.churned} churned), season weighting ${training.seasonWeighting ? 'on' : 'off'}, ` +
      `penalty ${JSON.stringify(training.penalties)}; ${(training.durationMs / 1000).toFixed(1)} s to train, ` +
      `${(durationMs / 1000).toFixed(1)} s for the whole backtest, server peak ${peakMb} MB.`,
    latency.adopted
      ? `With the learned model in use: one account's risk p50/p95 ${latency.oneAccountAsOf.p50.toFixed(1)}/` +
        `${latency.oneAccountAsOf.p95.toFixed(1)} ms as of ${AS_OF.slice(0, 10)}, ` +
        `${latency.oneAccountNow.p50.toFixed(1)}/${latency.oneAccountNow.p95.toFixed(1)} ms now (200 accounts each); ` +
        `the current list by risk (stored scores): first page (500) ${latency.listNow.firstPageMs.toFixed(0)} ms, all ` +
        `${latency.listNow.accounts} accounts in ${latency.listNow.pages} pages ${(latency.listNow.walkMs / 1000).toFixed(2)} s; ` +
        `as of ${AS_OF.slice(0, 10)} (computed): first page ${latency.listAsOf.firstPageMs.toFixed(0)} ms, all ` +
        `${latency.listAsOf.accounts} in ${latency.listAsOf.pages} pages ${(latency.listAsOf.walkMs / 1000).toFixed(1)} s.`
      : `The model trained as of ${AS_OF.slice(0, 10)} was not adopted (${latency.decision}): latency not measured.`,
    `Load average at the end: ${loadavg()
      .map((load) => load.toFixed(1))
      .join(', ')}.`,
  ];
  console.log(`\n${lines.join('\n')}`);
  const run = recordRun({
    name: PGLITE ? 'risk-real-pglite' : 'risk-real',
    command: `${PGLITE ? 'BENCH_ENGINE=pglite ' : ''}pnpm bench:risk-real`,
    figures: {
      ...figures,
      calibration,
      worstRatio,
      trainingMs: training.durationMs,
      backtestMs: durationMs,
      peakMb,
      latency,
      loadAverage: loadavg(),
    },
  });
  const meta = run;
  appendToBenchmarks(
    `### risk-real, ${meta.date.slice(0, 10)}, commit ${meta.commit}\n\n` +
      `Machine: ${meta.machine.cores} cores, ${meta.machine.memoryGb} GB, Node ${meta.machine.node}, ` +
      `calibration ${meta.machine.calibrationMs} ms. Command: \`${PGLITE ? 'BENCH_ENGINE=pglite ' : ''}pnpm bench:risk-real\` (${PGLITE ? 'the embedded PGlite' : `Postgres at ${ADMIN_URL.replace(/\/[^/]*$/, '/…')}`}).\n\n${lines.join('\n')}`,
  );
}

await main();
