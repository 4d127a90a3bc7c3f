#!/usr/bin/env node
// @ts-check
// Measures the pipeline's own overhead against the stub tools of test/bats/stubs (no cluster,
// no Docker): wall time of a cold deploy, a no-op redeploy and a one-app change of the deploy
// step `pnpm turbo deploy` runs after the images (scripts/deploy.mjs: every chart, one process),
// and with --turbo the real `pnpm turbo deploy` in a copy of the repository. --latency makes
// every stub call wait, a model of a real cluster's round trips; --cluster current uses the
// settings of the cluster test harness (CLUSTER=current, IMAGE_LOADER=containerd). Prints a
// Markdown table (docs/benchmarks/pipeline.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRunner } from './lib/exec.mjs';
import { createLog } from './lib/log.mjs';
import { runScript } from './lib/main.mjs';
import { chartNames, REPO_ROOT } from './lib/repo.mjs';

/** Runs the measured commands quietly (their output is not what is measured). */
const quiet = createRunner({ log: createLog({ out: { write: () => true } }) });
/** @param {string} bin @param {string[]} args @param {import('./lib/exec.mjs').RunOptions} [o] */
const runQuiet = (bin, args, o) => quiet.run(bin, args, o);

const STUB = path.join(REPO_ROOT, 'test', 'bats', 'stubs', 'stub');
const TOOLS = ['docker', 'minikube', 'kind', 'helm', 'kubectl', 'ctr'];

/**
 * The stub environment: each tool waits `latency` seconds per call; `cluster` picks the target
 * settings.
 * @param {{ bin: string, state: string, latency: number, cluster: string }} o
 * @returns {NodeJS.ProcessEnv}
 */
function stubEnv(o) {
  /** @type {NodeJS.ProcessEnv} */
  const env = {
    PATH: `${o.bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: os.homedir(),
    STUB_STATE: o.state,
    NO_COLOR: '1',
    TURBO_TELEMETRY_DISABLED: '1',
  };
  if (o.latency > 0) for (const t of TOOLS) env[`STUB_DELAY_${t.toUpperCase()}`] = String(o.latency);
  if (o.cluster === 'current')
    Object.assign(env, { CLUSTER: 'current', IMAGE_LOADER: 'containerd', KUBE_CONTEXT: 'todo-test' });
  return env;
}

/** `node scripts/deploy.mjs`: what the `deploy` task runs. @param {NodeJS.ProcessEnv} env */
async function deployOnce(env) {
  const t0 = performance.now();
  const r = await runQuiet(process.execPath, [path.join(REPO_ROOT, 'scripts', 'deploy.mjs')], { env });
  if (!r.ok) throw new Error(`deploy.mjs failed (exit ${r.exitCode}): ${r.stderr.slice(-2000)}`);
  return performance.now() - t0;
}

/** @param {string} dir @param {{ latency: number, cluster: string }} o */
function setup(dir, o) {
  const root = path.join(dir, 'repo');
  const state = path.join(dir, 'state');
  const bin = path.join(dir, 'bin');
  for (const d of [root, state, bin, path.join(dir, 'tmp')]) fs.mkdirSync(d, { recursive: true });
  for (const c of chartNames()) {
    fs.cpSync(path.join(REPO_ROOT, 'charts', c), path.join(root, 'charts', c), {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}node_modules`),
    });
  }
  for (const t of TOOLS) fs.symlinkSync(STUB, path.join(bin, t));
  /** @param {string} app @param {string} tag */
  const setTag = (app, tag) => {
    fs.mkdirSync(path.join(root, 'apps', app, '.image'), { recursive: true });
    fs.writeFileSync(path.join(root, 'apps', app, '.image', 'tag'), `todo-${app}:${tag}\n`);
  };
  setTag('backend', 'aaaaaaaaaaaa');
  setTag('frontend', 'bbbbbbbbbbbb');
  const env = { ...stubEnv({ bin, state, ...o }), TODO_REPO_ROOT: root, TMPDIR: path.join(dir, 'tmp') };
  return { env, setTag };
}

/**
 * The real `pnpm turbo deploy` (turbo, pnpm, image.mjs with its turbo prune hashing, the task
 * graph) against the stubs, in a copy of the repository with a git history of its own (turbo
 * asks git about files; the copy must not share this worktree's index).
 * @param {number} runs
 * @param {import('./lib/log.mjs').Log} log
 * @param {{ latency: number, cluster: string }} o
 */
async function turboRuns(runs, log, o) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-turbo-'));
  const repo = path.join(dir, 'repo');
  try {
    await log.step('copy the repository', async () => {
      if (!(await runQuiet('cp', ['-a', REPO_ROOT, repo])).ok) throw new Error('cp -a failed');
      for (const app of ['backend', 'frontend'])
        fs.rmSync(path.join(repo, 'apps', app, '.image'), { recursive: true, force: true });
      fs.rmSync(path.join(repo, '.turbo'), { recursive: true, force: true });
      fs.rmSync(path.join(repo, '.git'), { recursive: true, force: true });
      const git = ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid'];
      for (const args of [
        ['init', '-q'],
        ['add', '-A'],
        [...git, 'commit', '-qm', 'bench copy'],
      ])
        if (!(await runQuiet('git', args, { cwd: repo })).ok) throw new Error(`git ${args.join(' ')} failed`);
    });
    const bin = path.join(dir, 'bin');
    const state = path.join(dir, 'state');
    fs.mkdirSync(bin);
    fs.mkdirSync(state);
    for (const t of TOOLS)
      fs.symlinkSync(path.join(repo, 'test', 'bats', 'stubs', 'stub'), path.join(bin, t));
    fs.writeFileSync(path.join(state, 'docker-images'), 'node:24-bookworm-slim\n');
    const env = stubEnv({ bin, state, ...o });
    const once = async () => {
      const t0 = performance.now();
      const r = await runQuiet(
        'pnpm',
        ['turbo', 'run', 'deploy', `--cache-dir=${path.join(dir, 'turbo-cache')}`],
        { cwd: repo, env },
      );
      if (!r.ok) throw new Error(`pnpm turbo run deploy failed (exit ${r.exitCode}) in ${repo}`);
      return performance.now() - t0;
    };
    const cold = await log.step('pnpm turbo deploy, cold (stub image builds)', once, (ms) => s(ms));
    /** @type {number[]} */
    const noop = [];
    for (let i = 0; i < runs; i++)
      noop.push(await log.step(`pnpm turbo deploy, no-op ${i + 1}/${runs}`, once, (ms) => s(ms)));
    // what turbo pays to start a task through pnpm, and what pnpm pays to start turbo
    const t0 = performance.now();
    await runQuiet('pnpm', ['run', '--silent', 'status', '--help'], { cwd: repo, env });
    const pnpmRun = performance.now() - t0;
    const t1 = performance.now();
    await runQuiet(process.execPath, [path.join(repo, 'scripts', 'status.mjs'), '--help'], { env });
    const direct = performance.now() - t1;
    return { cold, noop, pnpmRun, direct };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
/** @param {number} ms */
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
/** @param {number[]} xs */
const spread = (xs) => `${s(median(xs))} [${s(Math.min(...xs))}–${s(Math.max(...xs))}]`;

await runScript(
  {
    name: 'bench-pipeline',
    summary: 'wall time of cold / no-op / one-app-change deploys against stub tools',
    usage: 'node scripts/bench-pipeline.mjs [--runs <n>] [--latency <s>] [--cluster current] [--turbo]',
    options: {
      runs: { type: 'string', description: 'repetitions per scenario', default: '3' },
      latency: {
        type: 'string',
        placeholder: 'seconds',
        description: 'every stub tool call waits this long (a model of a cluster round trip, e.g. 0.15)',
        default: '0',
      },
      cluster: {
        type: 'string',
        description: '`minikube` (the default settings) or `current` (the cluster test harness settings)',
        default: 'minikube',
      },
      turbo: {
        type: 'boolean',
        description:
          'also time the real `pnpm turbo deploy` (image.mjs included) in a temporary copy of the repository (~1 GB, slow)',
      },
    },
  },
  async ({ cli, log }) => {
    const runs = Math.max(1, Number(cli.values.runs) || 3);
    const o = {
      latency: Math.max(0, Number(cli.values.latency) || 0),
      cluster: String(cli.values.cluster),
    };
    /** @type {Record<string, number[]>} */
    const times = { cold: [], noop: [], change: [] };
    for (let i = 0; i < runs; i++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pipeline-'));
      try {
        const { env, setTag } = setup(dir, o);
        times.cold?.push(await deployOnce(env));
        times.noop?.push(await deployOnce(env));
        setTag('backend', `c${String(i).padStart(11, '0')}`);
        times.change?.push(await deployOnce(env));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      log.debug(`run ${i + 1}/${runs} done`);
    }
    // turbo's own share of `pnpm turbo deploy`: reading the workspace and planning the task graph
    // (no task runs). Measured on this repository, read-only.
    const turbo = path.join(REPO_ROOT, 'node_modules', '.bin', 'turbo');
    /** @type {number[]} */
    const plan = [];
    if (fs.existsSync(turbo)) {
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const r = await runQuiet(turbo, ['run', 'deploy', '--dry=json'], {
          cwd: REPO_ROOT,
          env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
        });
        if (r.ok) plan.push(performance.now() - t0);
      }
    }
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const load = os.loadavg()[0]?.toFixed(1);
    const lines = [
      `Measured ${new Date().toISOString()} on ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}, load average ${load} at the end`,
      `Command: \`pnpm --filter @todo/scripts bench -- --runs ${runs}${o.latency ? ` --latency ${o.latency}` : ''}${o.cluster !== 'minikube' ? ` --cluster ${o.cluster}` : ''}${cli.values.turbo ? ' --turbo' : ''}\` (median [min–max])`,
      '',
      '| scenario | wall time | what runs |',
      '| --- | --- | --- |',
      `| cold deploy (deploy step) | ${spread(times.cold ?? [])} | plan, doctor, 2 image loads, 3 helm installs |`,
      `| no-op redeploy (deploy step) | ${spread(times.noop ?? [])} | one \`helm list\` (the digests of all releases), the app URL; nothing else |`,
      `| one-app change (deploy step) | ${spread(times.change ?? [])} | plan (2 lists, 1 get values), doctor, 1 load, 1 helm upgrade |`,
    ];
    const real = cli.values.turbo ? await turboRuns(runs, log, o) : null;
    if (real) {
      lines.push(
        `| \`pnpm turbo deploy\`, cold | ${s(real.cold)} | the real command in a copy of the repo: turbo, pnpm, image.mjs (stub builds), chart:deps, deploy |`,
        `| \`pnpm turbo deploy\`, no-op | ${spread(real.noop)} | nothing changed: image and chart:deps tasks are cache hits, one deploy task |`,
        `| one task start through pnpm | ${s(real.pnpmRun)} (node alone: ${s(real.direct)}) | \`pnpm run status --help\`: what turbo pays per task before the script runs |`,
      );
    }
    if (plan.length)
      lines.push(
        `| turbo planning | ${spread(plan)} | \`turbo run deploy --dry=json\`: workspace + task graph, no task runs |`,
      );
    log.info(lines.join('\n'));
  },
);
