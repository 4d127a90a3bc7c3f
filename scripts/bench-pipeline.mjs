#!/usr/bin/env node
// @ts-check
// Measures the pipeline's own overhead against the stub tools of test/bats/stubs (no cluster,
// no Docker): wall time of a cold deploy, a no-op redeploy and a one-app change, running the
// same scripts in the same order as `pnpm turbo deploy` (doctor → the two loads in parallel →
// the three charts in dependency order). Prints a Markdown table (docs/benchmarks/pipeline.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRunner } from './lib/exec.mjs';
import { createLog } from './lib/log.mjs';
import { runScript } from './lib/main.mjs';
import { appNames, chartNames, REPO_ROOT } from './lib/repo.mjs';

/** Runs the measured commands quietly (their output is not what is measured). */
const quiet = createRunner({ log: createLog({ out: { write: () => true } }) });
/** Exit code of a command. @param {string} bin @param {string[]} args @param {import('./lib/exec.mjs').RunOptions} [o] */
const exitOf = async (bin, args, o) => (await quiet.run(bin, args, o)).exitCode;

const STUB = path.join(REPO_ROOT, 'test', 'bats', 'stubs', 'stub');
const TOOLS = ['docker', 'minikube', 'kind', 'helm', 'kubectl', 'ctr'];

/**
 * @param {string} script @param {string[]} args @param {NodeJS.ProcessEnv} env
 * @returns {Promise<number>}
 */
function node(script, args, env) {
  return exitOf(process.execPath, [path.join(REPO_ROOT, 'scripts', script), ...args], { env });
}

/** @param {NodeJS.ProcessEnv} env */
async function chain(env) {
  const t0 = performance.now();
  const codes = [await node('doctor.mjs', [], env)];
  codes.push(...(await Promise.all(appNames().map((app) => node('load.mjs', [app], env)))));
  for (const c of chartNames()) codes.push(await node('deploy.mjs', [c], env));
  const ms = performance.now() - t0;
  if (codes.some((c) => c !== 0)) throw new Error(`a step failed: exit codes ${codes.join(',')}`);
  return ms;
}

/** @param {string} dir */
function setup(dir) {
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
  /** @type {NodeJS.ProcessEnv} */
  const env = {
    PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: os.homedir(),
    TODO_REPO_ROOT: root,
    STUB_STATE: state,
    TMPDIR: path.join(dir, 'tmp'),
    NO_COLOR: '1',
  };
  return { env, setTag };
}

/**
 * The real `pnpm turbo deploy` (turbo, pnpm, image.mjs with its turbo prune hashing, the three
 * task kinds) against the stubs, in a copy of the repository so nothing here is touched.
 * @param {number} runs
 * @param {import('./lib/log.mjs').Log} log
 */
async function turboRuns(runs, log) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-turbo-'));
  const repo = path.join(dir, 'repo');
  try {
    await log.step('copy the repository', async () => {
      const code = await exitOf('cp', ['-a', REPO_ROOT, repo]);
      if (code !== 0) throw new Error('cp -a failed');
      for (const app of ['backend', 'frontend'])
        fs.rmSync(path.join(repo, 'apps', app, '.image'), { recursive: true, force: true });
      fs.rmSync(path.join(repo, '.turbo'), { recursive: true, force: true });
    });
    const bin = path.join(dir, 'bin');
    const state = path.join(dir, 'state');
    fs.mkdirSync(bin);
    fs.mkdirSync(state);
    for (const t of TOOLS)
      fs.symlinkSync(path.join(repo, 'test', 'bats', 'stubs', 'stub'), path.join(bin, t));
    fs.writeFileSync(path.join(state, 'docker-images'), 'node:24-bookworm-slim\n');
    /** @type {NodeJS.ProcessEnv} */
    const env = {
      PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
      HOME: os.homedir(),
      STUB_STATE: state,
      TURBO_TELEMETRY_DISABLED: '1',
      NO_COLOR: '1',
    };
    const once = async () => {
      const t0 = performance.now();
      const code = await exitOf(
        'pnpm',
        ['turbo', 'run', 'deploy', `--cache-dir=${path.join(dir, 'turbo-cache')}`],
        {
          cwd: repo,
          env,
        },
      );
      if (code !== 0) throw new Error(`pnpm turbo run deploy failed (exit ${code}) in ${repo}`);
      return performance.now() - t0;
    };
    const cold = await log.step('pnpm turbo deploy, cold (stub image builds)', once, (ms) => s(ms));
    /** @type {number[]} */
    const noop = [];
    for (let i = 0; i < runs; i++)
      noop.push(await log.step(`pnpm turbo deploy, no-op ${i + 1}/${runs}`, once, (ms) => s(ms)));
    // what turbo pays per task to start it through pnpm
    const t0 = performance.now();
    await exitOf('pnpm', ['run', '--silent', 'status', '--help'], { cwd: repo, env });
    const pnpmRun = performance.now() - t0;
    const t1 = performance.now();
    await exitOf(process.execPath, [path.join(repo, 'scripts', 'status.mjs'), '--help'], { env });
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

await runScript(
  {
    name: 'bench-pipeline',
    summary: 'wall time of cold / no-op / one-app-change deploys against stub tools',
    usage: 'node scripts/bench-pipeline.mjs [--runs <n>]',
    options: {
      runs: { type: 'string', description: 'repetitions per scenario', default: '3' },
      turbo: {
        type: 'boolean',
        description:
          'also time the real `pnpm turbo deploy` (image.mjs included) in a temporary copy of the repository (~1 GB, slow)',
      },
    },
  },
  async ({ cli, log }) => {
    const runs = Math.max(1, Number(cli.values.runs) || 3);
    /** @type {Record<string, number[]>} */
    const times = { cold: [], noop: [], change: [] };
    for (let i = 0; i < runs; i++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pipeline-'));
      try {
        const { env, setTag } = setup(dir);
        times.cold?.push(await chain(env));
        times.noop?.push(await chain(env));
        setTag('backend', `c${String(i).padStart(11, '0')}`);
        times.change?.push(await chain(env));
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
        const code = await exitOf(turbo, ['run', 'deploy', '--dry=json'], {
          cwd: REPO_ROOT,
          env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
        });
        if (code === 0) plan.push(performance.now() - t0);
      }
    }
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const lines = [
      `Measured ${new Date().toISOString()} on ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
      `Command: \`pnpm --filter @todo/scripts bench\` (${runs} runs per scenario, median [min–max])`,
      '',
      '| scenario | wall time | what runs |',
      '| --- | --- | --- |',
    ];
    /** @param {string} k */
    const cell = (k) => {
      const xs = times[k] ?? [];
      return `${s(median(xs))} [${s(Math.min(...xs))}–${s(Math.max(...xs))}]`;
    };
    lines.push(`| cold deploy | ${cell('cold')} | doctor, 2 image loads, 3 helm installs |`);
    lines.push(
      `| no-op redeploy | ${cell('noop')} | doctor, 2 image checks, 3 release reads (no load, no upgrade) |`,
    );
    lines.push(`| one-app change | ${cell('change')} | doctor, 1 load, 1 helm upgrade |`);
    const real = cli.values.turbo ? await turboRuns(runs, log) : null;
    if (real) {
      lines.push(
        `| \`pnpm turbo deploy\`, cold | ${s(real.cold)} | the real command in a copy of the repo: turbo, pnpm, image.mjs (stub builds), loads, installs |`,
      );
      lines.push(
        `| \`pnpm turbo deploy\`, no-op | ${s(median(real.noop))} [${s(Math.min(...real.noop))}–${s(Math.max(...real.noop))}] | the same, nothing changed: image tasks cache hits, no load, no upgrade |`,
      );
      lines.push(
        `| one task start through pnpm | ${s(real.pnpmRun)} (node alone: ${s(real.direct)}) | \`pnpm run status --help\`: what turbo pays per task before the script runs |`,
      );
    }
    if (plan.length) {
      lines.push(
        `| turbo planning | ${s(median(plan))} [${s(Math.min(...plan))}–${s(Math.max(...plan))}] | \`turbo run deploy --dry=json\`: workspace + task graph, no task runs |`,
      );
      if (!real) {
        lines.push(
          '',
          `Lower bound of a no-op \`pnpm turbo deploy\`: turbo planning + no-op chain = ${s(median(plan) + median(times.noop ?? []))}, plus one pnpm start per task (--turbo measures the real command).`,
        );
      }
    }
    log.info(lines.join('\n'));
    const noop = median(times.noop ?? []);
    if (noop > 5000) log.warn(`no-op redeploy took ${s(noop)}: above the 5 s target`);
  },
);
