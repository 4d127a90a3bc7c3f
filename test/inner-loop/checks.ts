// The inner loop on a real cluster (issue 16), as checks the cluster suite calls: `--plan` matches
// what the next deploy does, `pnpm logs` shows a line a new pod writes after a rollout, watch mode
// serves an edit made in a scratch copy of the repository, a failed round (a build error, a
// rollout that never becomes ready) keeps the old release serving, a no-op save rolls nothing,
// and the figures of docs/benchmarks.md (save → serving, no-op `pnpm turbo deploy`).
//
// Self-contained: each check takes the harness's helpers (`InnerLoopDeps`) and throws an Error
// that says what went wrong. It imports nothing from the harness, only the scripts' toolkit.
// How to wire it into test/cluster/cluster.test.ts: test/inner-loop/README.md. One file of
// about 600 lines so the harness imports one module; each check is one scenario with its own
// assertions, and they share the helpers above them.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EVERY_STATUS } from '@todo/scripts/lib/plan.mjs';
import { startService } from '@todo/scripts/toolkit';
import { sleep, waitFor } from '../lib/wait.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface InnerLoopDeps {
  /** Runs a command without a shell (the harness's `run`). */
  run: (
    cmd: string,
    args: string[],
    o?: { cwd?: string; env?: NodeJS.ProcessEnv; echo?: boolean; timeoutMs?: number },
  ) => Promise<RunResult>;
  /** kubectl against the test cluster, in the app's namespace; resolves to stdout, throws on failure. */
  kubectl: (args: string[]) => Promise<string>;
  /** Where the app answers (the frontend's NodePort), e.g. http://127.0.0.1:30000. */
  appUrl: string;
  /** The repository the harness deploys from (its image tag files are current). */
  repoRoot: string;
  /** A copy of the repository with its node_modules, where the checks edit files (`createScratchCopy`). */
  scratchCopy: string;
  /** The pipeline's environment for this cluster (the harness's `pipelineEnv()`). */
  env: NodeJS.ProcessEnv;
  /** Records a figure for docs/benchmarks (the harness's `recordFigure`). */
  record?: (name: string, value: number | string, unit?: string) => void;
}

function check(ok: unknown, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Release → revision, the latest of each (Helm 4 has no `helm list --all`). */
async function revisions(d: InnerLoopDeps): Promise<Record<string, number>> {
  const r = await d.run(
    'helm',
    ['list', ...EVERY_STATUS, '--namespace', d.env.NAMESPACE ?? 'todo', '--output', 'json'],
    {
      env: d.env,
    },
  );
  check(r.code === 0, `helm list failed: ${r.stderr}`);
  return Object.fromEntries(
    (JSON.parse(r.stdout) as { name: string; revision: string }[]).map((x) => [x.name, Number(x.revision)]),
  );
}

interface PodInfo {
  name: string;
  ready: boolean;
  deleting: boolean;
  image: string;
}

async function podsOf(d: InnerLoopDeps, release: string): Promise<PodInfo[]> {
  const json = JSON.parse(
    await d.kubectl([
      'get',
      'pods',
      '--selector',
      `app.kubernetes.io/instance=${release},app.kubernetes.io/component!=test`,
      '--output',
      'json',
    ]),
  ) as {
    items: {
      metadata: { name: string; deletionTimestamp?: string };
      spec: { containers: { image: string }[] };
      status: { conditions?: { type: string; status: string }[] };
    }[];
  };
  return json.items.map((p) => ({
    name: p.metadata.name,
    deleting: Boolean(p.metadata.deletionTimestamp),
    ready: Boolean(p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')),
    image: p.spec.containers[0]?.image ?? '',
  }));
}

/** ReplicaSet and StatefulSet identities: equal before and after ⇔ nothing was rolled out. */
async function workloads(d: InnerLoopDeps): Promise<string> {
  const rs = JSON.parse(await d.kubectl(['get', 'replicasets,statefulsets', '--output', 'json'])) as {
    items: { kind: string; metadata: { name: string; uid: string; generation?: number } }[];
  };
  return rs.items
    .map((x) => `${x.kind}/${x.metadata.name}/${x.metadata.uid}/${x.metadata.generation ?? ''}`)
    .sort()
    .join('\n');
}

/** The status code the app answers a request to the backend with (through the frontend). */
async function backendAnswers(d: InnerLoopDeps, query = ''): Promise<number> {
  try {
    const r = await fetch(`${d.appUrl}/api/tasks${query}`, { signal: AbortSignal.timeout(10_000) });
    return r.status;
  } catch {
    return 0;
  }
}

/**
 * A copy of the repository for the watch checks: every file including node_modules (`cp -a`,
 * about 1 GB and 15 s), a git repository of its own (turbo asks git about files; the copy must not
 * share the original's index), no image tag files (the watch's first round writes them, from
 * turbo's cache or the engine's images: same content, same tags).
 */
export async function createScratchCopy(
  d: Pick<InnerLoopDeps, 'run' | 'repoRoot'>,
  dir: string,
): Promise<string> {
  const must = async (cmd: string, args: string[], cwd?: string) => {
    const r = await d.run(cmd, args, cwd ? { cwd } : {});
    check(r.code === 0, `${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  };
  fs.rmSync(dir, { recursive: true, force: true });
  await must('cp', ['-a', d.repoRoot, dir]);
  fs.rmSync(path.join(dir, '.git'), { recursive: true, force: true });
  const who = ['-c', 'user.name=inner-loop', '-c', 'user.email=inner-loop@example.invalid'];
  await must('git', ['init', '-q'], dir);
  await must('git', ['add', '-A'], dir);
  await must('git', [...who, 'commit', '-qm', 'scratch copy'], dir);
  return dir;
}

// ---------------------------------------------------------------------------------------------
// --plan

/**
 * `node scripts/deploy.mjs --plan --json`, then the deploy, for: nothing changed; a changed
 * backend value (LOG_LEVEL); the value back. Each release the plan says changes gets a new
 * revision, every other keeps its revision. Leaves the cluster as it found it.
 */
export async function planMatchesDeploy(d: InnerLoopDeps) {
  const scenarios: { name: string; env: NodeJS.ProcessEnv }[] = [
    { name: 'nothing changed', env: d.env },
    { name: 'a backend value changed (LOG_LEVEL=debug)', env: { ...d.env, LOG_LEVEL: 'debug' } },
    { name: 'the value back', env: d.env },
  ];
  const report: { scenario: string; actions: Record<string, string> }[] = [];
  for (const s of scenarios) {
    const p = await d.run('node', ['scripts/deploy.mjs', '--plan', '--json'], {
      cwd: d.repoRoot,
      env: s.env,
    });
    check(p.code === 0, `deploy --plan failed (${s.name}): ${p.stderr}`);
    const plan = JSON.parse(p.stdout) as { order: string[]; releases: { release: string; action: string }[] };
    const before = await revisions(d);
    const r = await d.run('node', ['scripts/deploy.mjs'], { cwd: d.repoRoot, env: s.env, echo: true });
    check(r.code === 0, `the deploy after the plan failed (${s.name})`);
    const after = await revisions(d);
    const actions: Record<string, string> = {};
    for (const e of plan.releases) {
      actions[e.release] = e.action;
      const moved = (after[e.release] ?? 0) !== (before[e.release] ?? 0);
      const planned = e.action !== 'skip' && e.action !== 'absent';
      check(
        moved === planned,
        `${s.name}: the plan said ${e.action} for ${e.release}, the deploy ${moved ? 'changed' : 'left'} it (revision ${before[e.release]} → ${after[e.release]})`,
      );
    }
    report.push({ scenario: s.name, actions });
  }
  check(
    report[0] && Object.values(report[0].actions).every((a) => a === 'skip' || a === 'absent'),
    'the first plan was not all skip',
  );
  check(
    report[1]?.actions['todo-backend'] === 'upgrade',
    'a changed backend value was not planned as an upgrade',
  );
  return report;
}

// ---------------------------------------------------------------------------------------------
// pnpm logs

/**
 * `pnpm logs backend` runs; a rollout replaces the backend pod (`kubectl rollout restart`); a
 * request with a unique query string makes the new pod log it; that line appears in the
 * follower's output with the new pod's prefix. Returns the seconds from the request to the line.
 */
export async function logsFollowRollout(d: InnerLoopDeps) {
  let out = '';
  const follower = startService('pnpm logs backend', 'node', ['scripts/logs.mjs', 'backend'], {
    cwd: d.repoRoot,
    env: { ...d.env, NO_COLOR: '1' },
    onOutput: (text) => {
      out += text;
    },
  });
  try {
    await waitFor(
      'pnpm logs to start following',
      async () => out.includes('following todo-backend'),
      30_000,
      500,
    );
    const old = new Set((await podsOf(d, 'todo-backend')).map((p) => p.name));
    await d.kubectl(['rollout', 'restart', 'deployment/todo-backend']);
    await d.kubectl(['rollout', 'status', 'deployment/todo-backend', '--timeout=300s']);
    const fresh = (await podsOf(d, 'todo-backend')).filter((p) => !old.has(p.name) && p.ready && !p.deleting);
    check(fresh.length > 0, 'no new backend pod after the rollout');
    // the old pods serve on through their shutdown delay (a kept-alive connection still reaches
    // them): the request below must come after they are gone
    await waitFor(
      'the old backend pods to finish shutting down',
      async () => (await podsOf(d, 'todo-backend')).every((p) => !old.has(p.name)),
      120_000,
      500,
    );
    const marker = `inner-loop-${randomUUID()}`;
    const t0 = Date.now();
    const status = await backendAnswers(d, `?probe=${marker}`);
    check(status > 0 && status < 500, `the app answered ${status} through the new backend pod`);
    const line = await waitFor(
      `the request's log line (${marker}) in pnpm logs`,
      async () => out.split('\n').find((l) => l.includes(marker)),
      60_000,
      500,
    );
    const seconds = (Date.now() - t0) / 1000;
    const prefix = line.split(' │ ')[0]?.trim() ?? '';
    check(
      fresh.some((p) => p.name.endsWith(prefix.split('-').at(-1) ?? '?')),
      `the line came with prefix "${prefix}", not one of the new pods (${fresh.map((p) => p.name).join(', ')})`,
    );
    d.record?.('pnpm logs: request → its log line from the pod a rollout started', round1(seconds));
    return { line, seconds };
  } finally {
    await follower.stop(5_000);
  }
}

// ---------------------------------------------------------------------------------------------
// watch mode

export interface Watch {
  /** Everything it printed so far. */
  output: () => string;
  /** Resolves with the first match of `pattern` in what it printed after `from` (an output length). */
  waitFor: (pattern: RegExp, timeoutMs: number, from?: number) => Promise<RegExpMatchArray>;
  /** Ctrl-C, as a person would: resolves when it has exited. */
  stop: () => Promise<void>;
}

/**
 * `pnpm deploy:watch --no-logs` in the scratch copy, until its first deploy is done (which, with
 * the images of the repository already in the engine and the releases deployed, rolls nothing).
 * `helmTimeout`: HELM_TIMEOUT for its rollouts (the failed-rollout check waits that long).
 */
export async function startWatch(
  d: InnerLoopDeps,
  o: { helmTimeout?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Watch> {
  let out = '';
  const env = o.env ?? d.env;
  const svc = startService('pnpm deploy:watch', 'node', ['scripts/watch.mjs', '--no-logs'], {
    cwd: d.scratchCopy,
    env: { ...env, NO_COLOR: '1', HELM_TIMEOUT: o.helmTimeout ?? env.HELM_TIMEOUT ?? '2m0s' },
    onOutput: (text) => {
      out += text;
    },
  });
  const w: Watch = {
    output: () => out,
    waitFor: (pattern, timeoutMs, from = 0) =>
      waitFor(
        `${pattern} in the watch output`,
        async () => {
          if (svc.exited()) throw new Error(`pnpm deploy:watch exited:\n${out.slice(-3000)}`);
          return out.slice(from).match(pattern) ?? undefined;
        },
        timeoutMs,
        200,
      ),
    async stop() {
      if (svc.child.pid !== undefined && !svc.exited()) {
        try {
          process.kill(-svc.child.pid, 'SIGINT');
        } catch {}
        await waitFor('pnpm deploy:watch to exit', async () => svc.exited(), 60_000, 200).catch(() =>
          svc.stop(5_000),
        );
      }
    },
  };
  await w.waitFor(/── watching for changes/, 15 * 60_000);
  return w;
}

/** Edits a file of the scratch copy; `restore()` puts the original bytes back. */
function edit(d: InnerLoopDeps, rel: string, change: (text: string) => string) {
  const file = path.join(d.scratchCopy, rel);
  const original = fs.readFileSync(file, 'utf8');
  const changed = change(original);
  check(changed !== original, `${rel} no longer looks the way this check edits it: update the check`);
  fs.writeFileSync(file, changed);
  return { restore: () => fs.writeFileSync(file, original) };
}

/** The next round's summary line, after `from`: ✓ round N … or ✗ round N failed … */
const ROUND_DONE = /(✓ round \d+: [^\n]*|✗ round \d+ failed: [^\n]*)/;

/** The next round's summary line after `from`, and where the output after it begins. */
async function nextRound(w: Watch, from: number, timeoutMs: number) {
  const m = await w.waitFor(ROUND_DONE, timeoutMs, from);
  const end = from + (m.index ?? 0) + m[0].length;
  // the round's own lines (e.g. doctor's problems before a failed round), for a failure message
  return { line: m[0], end, text: w.output().slice(from, end).slice(-3000) };
}

/** A watch round's two save → serving figures: the round's own, and measured from outside. */
function recordServing(d: InnerLoopDeps, app: string, loader: string, own: number, outside: number) {
  const via = loader ? `, ${loader}` : '';
  d.record?.(`watch: save → new ${app} pod serving (the round says${via})`, round1(own));
  d.record?.(`watch: save → new ${app} pod serving (measured from outside${via})`, round1(outside));
}

/**
 * A one-line backend change (a log line at start-up with a unique marker) in the scratch copy:
 * the round rebuilds the backend image, upgrades todo-backend only, and the new pod, which logs
 * the marker, is the one serving. Records save → serving (the round's own figure and one
 * measured from outside: the save to the app answering from a Ready pod that runs the change).
 */
export async function watchServesBackendChange(d: InnerLoopDeps, w: Watch, loader = '') {
  const marker = `inner-loop-${randomUUID()}`;
  const from = w.output().length;
  const before = await revisions(d);
  const t0 = Date.now();
  edit(
    d,
    'apps/backend/src/server.ts',
    (t) => `${t}\nconsole.log(JSON.stringify({ msg: 'inner loop marker', marker: '${marker}' }));\n`,
  );
  const { line, text } = await nextRound(w, from, 10 * 60_000);
  check(
    line.startsWith('✓') && /todo-backend serving/.test(line),
    `the round did not roll out the backend: ${line}\n--- the round's output:\n${text}`,
  );
  const serving = await waitFor(
    'a Ready backend pod that logged the marker',
    async () => {
      for (const p of await podsOf(d, 'todo-backend')) {
        if (!p.ready || p.deleting) continue;
        const logs = await d.kubectl(['logs', p.name, '--container', 'backend']);
        if (logs.includes(marker) && (await backendAnswers(d)) === 401) return p;
      }
      return undefined;
    },
    120_000,
    500,
  );
  const outside = (Date.now() - t0) / 1000;
  const own = Number(/serving ([\d.]+)s after the save/.exec(line)?.[1] ?? Number.NaN);
  const after = await revisions(d);
  check(
    after['todo-backend'] === (before['todo-backend'] ?? 0) + 1,
    'todo-backend did not get exactly one new revision',
  );
  for (const r of ['todo-postgres', 'todo-frontend'])
    check(after[r] === before[r], `${r} was upgraded by a backend change`);
  const old = (await podsOf(d, 'todo-backend')).filter((p) => !p.deleting && p.name !== serving.name);
  check(old.length === 0, `old backend pods still running: ${old.map((p) => p.name).join(', ')}`);
  recordServing(d, 'backend', loader, own, outside);
  return { round: line, own, outside, pod: serving.name };
}

/**
 * The same backend and frontend edits with IMAGE_LOADER=registry (`registryEnv`: the pipeline's
 * environment for the test registry): a watch of its own, whose first deploy moves the releases
 * to the registry's images; then each round pushes only the image's changed layers and the node
 * pulls only those. Records the save → serving figures beside the default loader's.
 */
export async function watchWithRegistryServesChanges(d: InnerLoopDeps, registryEnv: NodeJS.ProcessEnv) {
  const loader = 'IMAGE_LOADER=registry';
  const w = await startWatch(d, { env: registryEnv });
  const pushed = (app: string, from: number) => {
    const round = w.output().slice(from);
    check(
      new RegExp(`pushed \\S+/todo-${app}:`).test(round),
      `the round did not push the ${app} image to the registry:\n${round.slice(-2000)}`,
    );
  };
  try {
    let from = w.output().length;
    const backend = await watchServesBackendChange(d, w, loader);
    pushed('backend', from);
    from = w.output().length;
    const frontend = await watchServesFrontendChange(d, w, loader);
    pushed('frontend', from);
    return { backend, frontend };
  } finally {
    await w.stop();
  }
}

/**
 * A frontend change (the frontend's own /api/healthz answers with a marker) in the scratch copy:
 * the round upgrades todo-frontend only, and the app answers with the marker.
 */
export async function watchServesFrontendChange(d: InnerLoopDeps, w: Watch, loader = '') {
  const marker = `inner-loop-${randomUUID()}`;
  const from = w.output().length;
  const before = await revisions(d);
  const t0 = Date.now();
  // (a marker an earlier check left is replaced)
  edit(d, 'apps/frontend/src/app/api/healthz/route.ts', (t) =>
    t.replace(
      /Response\.json\(\{ status: 'ok'(?:, marker: '[^']*')? \}/,
      `Response.json({ status: 'ok', marker: '${marker}' }`,
    ),
  );
  const { line, text } = await nextRound(w, from, 15 * 60_000);
  check(
    line.startsWith('✓') && /todo-frontend serving/.test(line),
    `the round did not roll out the frontend: ${line}\n--- the round's output:\n${text}`,
  );
  await waitFor(
    'the app to answer with the marker',
    async () => {
      const r = await fetch(`${d.appUrl}/api/healthz`, { signal: AbortSignal.timeout(5_000) });
      return ((await r.json()) as { marker?: string }).marker === marker;
    },
    120_000,
    250,
  );
  const outside = (Date.now() - t0) / 1000;
  const own = Number(/serving ([\d.]+)s after the save/.exec(line)?.[1] ?? Number.NaN);
  const after = await revisions(d);
  check(
    after['todo-frontend'] === (before['todo-frontend'] ?? 0) + 1,
    'todo-frontend did not get exactly one new revision',
  );
  check(after['todo-backend'] === before['todo-backend'], 'todo-backend was upgraded by a frontend change');
  recordServing(d, 'frontend', loader, own, outside);
  return { round: line, own, outside };
}

/** A README edit (not in any image, not in any chart): a round that rolls nothing out. */
export async function noopSaveRollsNothing(d: InnerLoopDeps, w: Watch) {
  const from = w.output().length;
  const before = await workloads(d);
  const revs = await revisions(d);
  const e = edit(d, 'apps/backend/README.md', (t) => `${t}\n<!-- inner loop no-op ${randomUUID()} -->\n`);
  let end = from;
  try {
    const done = await nextRound(w, from, 5 * 60_000);
    end = done.end;
    check(/nothing rolled out/.test(done.line), `a README edit rolled something out: ${done.line}`);
    check((await workloads(d)) === before, 'ReplicaSets or StatefulSets changed after a no-op save');
    check(
      JSON.stringify(await revisions(d)) === JSON.stringify(revs),
      'a release revision changed after a no-op save',
    );
    d.record?.('watch: rollouts after a no-op save (README edit)', 0, '');
    return { round: done.line };
  } finally {
    e.restore();
    await nextRound(w, end, 5 * 60_000).catch(() => undefined);
  }
}

/** Polls the app every 500 ms until stopped; counts the answers that did not come from a backend. */
function requestLoop(d: InnerLoopDeps) {
  let stopped = false;
  let total = 0;
  const failures: string[] = [];
  const loop = (async () => {
    while (!stopped) {
      const status = await backendAnswers(d);
      total++;
      if (status !== 401) failures.push(`${new Date().toISOString()} ${status || 'no answer'}`);
      await sleep(500);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { total, failures };
    },
  };
}

/**
 * A compile error in the scratch copy: the round fails in plain words, nothing is deployed, the
 * app keeps answering from the same pod; restoring the file makes a round that rolls nothing out
 * (the previous content has the previous tag, which is deployed).
 */
export async function failedBuildKeepsServing(d: InnerLoopDeps, w: Watch) {
  const from = w.output().length;
  const pods = (await podsOf(d, 'todo-backend')).map((p) => p.name).join();
  const revs = await revisions(d);
  const loop = requestLoop(d);
  const e = edit(d, 'apps/backend/src/server.ts', (t) => `${t}\nthis is not valid TypeScript (\n`);
  let round: { line: string; end: number };
  try {
    round = await nextRound(w, from, 10 * 60_000);
  } finally {
    e.restore();
  }
  const failed = round.line;
  const answers = await loop.stop();
  check(/✗ round \d+ failed: .*did not build/.test(failed), `expected a failed build round, got: ${failed}`);
  check(/Nothing was deployed/.test(failed), `the failure does not say nothing was deployed: ${failed}`);
  check(
    JSON.stringify(await revisions(d)) === JSON.stringify(revs),
    'a release changed after a failed build',
  );
  check((await podsOf(d, 'todo-backend')).map((p) => p.name).join() === pods, 'the backend pods changed');
  check(
    answers.failures.length === 0,
    `the app failed ${answers.failures.length} of ${answers.total} requests: ${answers.failures.join('; ')}`,
  );
  const next = await nextRound(w, round.end, 10 * 60_000);
  check(/nothing rolled out/.test(next.line), `restoring the file rolled something out: ${next.line}`);
  return { failed, requests: answers.total };
}

/**
 * A change whose pods never become ready (the backend exits at start): the round waits for the
 * watch's HELM_TIMEOUT, Helm rolls the release back, the failure says which revision keeps
 * serving, and the app answered every request meanwhile (maxUnavailable 0: the old pod stayed).
 * Restoring the file gives a round that rolls nothing out.
 */
export async function failedRolloutKeepsServing(d: InnerLoopDeps, w: Watch) {
  const from = w.output().length;
  const loop = requestLoop(d);
  const e = edit(d, 'apps/backend/src/server.ts', (t) => `${t}\nprocess.exit(3);\n`);
  let round: { line: string; end: number };
  try {
    round = await nextRound(w, from, 20 * 60_000);
  } finally {
    e.restore();
  }
  const failed = round.line;
  const answers = await loop.stop();
  check(
    /✗ round \d+ failed: the upgrade of todo-backend failed .*Helm rolled it back: revision \d+ keeps serving/.test(
      failed,
    ),
    `expected a rolled-back round, got: ${failed}`,
  );
  check(
    answers.failures.length === 0,
    `the app failed ${answers.failures.length} of ${answers.total} requests: ${answers.failures.join('; ')}`,
  );
  const status = JSON.parse(
    (
      await d.run(
        'helm',
        ['status', 'todo-backend', '--namespace', d.env.NAMESPACE ?? 'todo', '--output', 'json'],
        { env: d.env },
      )
    ).stdout,
  ) as { info: { status: string } };
  check(status.info.status === 'deployed', `todo-backend is ${status.info.status} after the rollback`);
  const next = await nextRound(w, round.end, 10 * 60_000);
  check(/nothing rolled out/.test(next.line), `restoring the file rolled something out: ${next.line}`);
  return { failed, requests: answers.total };
}

// ---------------------------------------------------------------------------------------------
// the no-op deploy

/**
 * `pnpm turbo deploy` `runs` times with nothing changed: no revision moves; records the median,
 * fastest and slowest wall time (the machine's load average too, since it is shared).
 */
export async function noopDeployFigure(d: InnerLoopDeps, runs = 5) {
  const before = await revisions(d);
  await d.run('pnpm', ['turbo', 'deploy'], { cwd: d.repoRoot, env: d.env }); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await d.run('pnpm', ['turbo', 'deploy', '--output-logs=new-only'], {
      cwd: d.repoRoot,
      env: d.env,
    });
    check(r.code === 0, `pnpm turbo deploy failed:\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
    check(
      /plan \([\d.]+s\) — nothing to change/.test(r.stdout + r.stderr),
      'the no-op deploy planned a change',
    );
    times.push(r.ms / 1000);
  }
  check(JSON.stringify(await revisions(d)) === JSON.stringify(before), 'a no-op deploy changed a release');
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  d.record?.(
    `no-op pnpm turbo deploy, median of ${runs} (min–max ${round2(sorted[0] ?? 0)}–${round2(sorted.at(-1) ?? 0)} s, load ${load})`,
    round2(median),
  );
  return { times, median };
}

/**
 * Puts the repository's own images and values back (the watch checks leave the scratch copy's
 * edits deployed): `pnpm turbo deploy` from the repository.
 */
export async function restoreRepositoryRelease(d: InnerLoopDeps) {
  const r = await d.run('pnpm', ['turbo', 'deploy', '--output-logs=new-only'], {
    cwd: d.repoRoot,
    env: d.env,
    echo: true,
  });
  check(
    r.code === 0,
    `pnpm turbo deploy from the repository failed:\n${`${r.stdout}\n${r.stderr}`.trim().slice(-3000)}`,
  );
}
