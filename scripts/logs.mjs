#!/usr/bin/env node
// @ts-check
// `pnpm logs [backend|frontend|postgres]`: the logs of every pod of the release(s), one short
// prefix per pod, following new pods across rollouts and restarts until Ctrl-C (lib/pod-logs.mjs);
// `--previous` prints what the crashed container before the current one wrote.
import { describeTarget, kubectlArgs, pinContext, resolveTarget } from './lib/cluster.mjs';
import { EXIT, ScriptError, usageError } from './lib/errors.mjs';
import { runScript } from './lib/main.mjs';
import { followLogs, instancesOf, listPods, podPrefix, previousLogs } from './lib/pod-logs.mjs';
import { chartNames } from './lib/repo.mjs';

const RELEASES = chartNames();
/** `backend` or `todo-backend` → `todo-backend`. @param {string} name */
const releaseOf = (name) => RELEASES.find((r) => r === name || r === `todo-${name}`);
const SHORT = RELEASES.map((r) => r.replace(/^todo-/, ''));

await runScript(
  {
    name: 'logs',
    summary: 'follow the logs of every pod of the releases, across rollouts and restarts',
    usage: [
      'pnpm logs [<release>...] [--tail <n>] [--since <duration>] [--no-follow]',
      'pnpm logs <release> --previous',
    ],
    description: [
      'Each line is prefixed with its pod (`backend-x2k4p │ …`). Pods that a rollout or a restart',
      'brings are followed from their first line; the pods already running show their last lines',
      '(--tail, --since). Ctrl-C stops following; nothing in the cluster changes.',
    ],
    positionals: [
      { name: 'release', description: 'releases to follow (default: all)', choices: [...SHORT, ...RELEASES] },
    ],
    allowExtraPositionals: true,
    options: {
      tail: {
        type: 'string',
        placeholder: 'n',
        description: 'lines shown of each container already running',
        default: '10',
      },
      since: {
        type: 'string',
        placeholder: 'duration',
        description: 'instead of --tail: the lines of the last <duration> (30s, 5m, 1h)',
      },
      follow: { type: 'boolean', description: 'keep following (--no-follow: print and exit)', default: true },
      previous: {
        type: 'boolean',
        description:
          "print the previous container's logs of every pod that restarted (a crash's output), and exit",
      },
    },
    interruptNote: () => 'stopped following the logs; nothing in the cluster changed.',
    examples: [
      'pnpm logs',
      'pnpm logs backend',
      'pnpm logs backend --previous',
      'pnpm logs frontend --since 5m',
    ],
  },
  async ({ cli, cfg, log, runner }) => {
    const releases = cli.positionals.length ? cli.positionals.map((p) => releaseOf(p)) : RELEASES;
    if (releases.some((r) => !r))
      throw usageError(`unknown release: expected one of ${SHORT.join(', ')} (or their todo- names).`);
    const wanted = /** @type {string[]} */ ([...new Set(releases)]);
    const tail = Number(cli.values.tail);
    if (!Number.isInteger(tail) || tail < 0)
      throw usageError(`--tail ${cli.values.tail}: expected a whole number.`);
    const sinceText = /** @type {string | undefined} */ (cli.values.since);
    const since = sinceText ? sinceDate(sinceText) : undefined;
    const target = await pinContext(resolveTarget(cfg), runner);
    const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

    if (cli.values.previous) {
      const shown = await previousLogs({ target, runner, log, releases: wanted });
      if (!shown && !runner.dryRun)
        log.info(`no container of ${wanted.join(', ')} has restarted: there are no previous logs.`);
      return EXIT.OK;
    }
    if (!cli.values.follow) {
      // one pass: the same follower, stopped as soon as every stream it opened has ended
      log.info(`logs of ${wanted.join(', ')}: ${describeTarget(target)}`);
      await printOnce({ target, runner, log, releases: wanted, tail, ...(since ? { since } : {}) });
      return EXIT.OK;
    }
    log.info(`following ${wanted.join(', ')} (${describeTarget(target)}); Ctrl-C stops`);
    const f = await followLogs({
      target,
      runner,
      log,
      releases: wanted,
      tail,
      ...(since ? { since } : {}),
      color,
    }).catch((e) => {
      throw new ScriptError(
        `${e instanceof Error ? e.message : String(e)}: is the cluster reachable? Try \`pnpm status\`.`,
        EXIT.CLUSTER,
      );
    });
    await f.done; // until Ctrl-C (the frame stops the processes)
    return EXIT.OK;
  },
);

/**
 * `30s`, `5m`, `1h` → the date that long ago.
 * @param {string} text
 */
function sinceDate(text) {
  const m = /^(\d+)(s|m|h)$/.exec(text);
  if (!m) throw usageError(`--since ${text}: expected a duration such as 30s, 5m or 1h.`);
  const ms = Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[/** @type {'s' | 'm' | 'h'} */ (m[2])];
  return new Date(Date.now() - ms);
}

/**
 * The logs as they are now, without following: `kubectl logs` once per container.
 * @param {{ target: import('./lib/cluster.mjs').Target, runner: import('./lib/exec.mjs').Runner, log: import('./lib/log.mjs').Log, releases: string[], tail: number, since?: Date }} o
 */
async function printOnce(o) {
  const base = kubectlArgs(o.target);
  const { listing, pods } = await listPods(o);
  if (listing.dry) return;
  if (!listing.ok) throw new ScriptError(`cannot list the pods: ${listing.stderr.trim()}`, EXIT.CLUSTER);
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    for (const i of instancesOf(pod)) {
      if (!i.current) continue;
      const limit = o.since ? [`--since-time=${o.since.toISOString()}`] : [`--tail=${o.tail}`];
      const l = await o.runner.run('kubectl', [...base, 'logs', name, '--container', i.container, ...limit]);
      const prefix = podPrefix(name, i.container, i.several);
      for (const line of l.stdout.split('\n')) if (line) o.log.info(`${prefix} │ ${line}`);
    }
  }
}
