// @ts-check
// Logs of every pod of some releases, each line with a short per-pod prefix, following the pods a
// rollout or a restart brings: `kubectl get pods --watch` reports every pod and container as it
// changes (an event stream, not a polling loop), and each container instance gets one
// `kubectl logs --follow` from its first line. Instances that were already running when the
// follower started are shown from `--tail` lines or `--since-time` on. A crash seen only after the
// fact (the container already restarted) is read once with `--previous`, so its lines are not
// lost either. Used by `pnpm logs` (scripts/logs.mjs) and between watch-mode rounds. A little
// over 300 lines: the follower, the splitter of kubectl's JSON events, the one pod listing and the
// `--previous` reader, which share the pod and prefix helpers.
import { kubectlArgs } from './cluster.mjs';
import { firstError, lineStream } from './exec.mjs';
import { startService } from './service.mjs';

/**
 * @typedef {{
 *   metadata?: { name?: string, uid?: string, labels?: Record<string, string>, deletionTimestamp?: string },
 *   spec?: { containers?: { name: string }[], initContainers?: { name: string }[] },
 *   status?: { containerStatuses?: ContainerStatus[], initContainerStatuses?: ContainerStatus[] },
 * }} Pod
 * @typedef {{
 *   name: string,
 *   containerID?: string,
 *   restartCount?: number,
 *   state?: { running?: object, terminated?: { containerID?: string }, waiting?: object },
 *   lastState?: { terminated?: { containerID?: string } },
 * }} ContainerStatus
 */

/** The label every pod of a release carries; `helm test` pods are left out. @param {string[]} releases */
export function releaseSelector(releases) {
  return `app.kubernetes.io/instance in (${releases.join(',')}),app.kubernetes.io/component!=test`;
}

/**
 * Splits a stream of concatenated JSON values (`kubectl get --watch --output json` prints one
 * indented object per event) into parsed values, whatever the chunk boundaries.
 * @param {(value: any) => void} onValue
 */
export function jsonStream(onValue) {
  let buf = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  return {
    /** @param {string} chunk */
    push(chunk) {
      const base = buf.length;
      buf += chunk;
      for (let i = base; i < buf.length; i++) {
        const c = buf[i];
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '{' || c === '[') {
          if (depth++ === 0) start = i;
        } else if ((c === '}' || c === ']') && depth > 0 && --depth === 0) {
          const text = buf.slice(start, i + 1);
          try {
            onValue(JSON.parse(text));
          } catch {
            // not JSON after all (a warning line with braces): skipped
          }
          buf = buf.slice(i + 1);
          i = -1;
          start = -1;
        }
      }
      if (depth === 0) buf = '';
    },
  };
}

/**
 * A short name for a pod: `todo-backend-6d5f8c7b9-x2k4p` → `backend-x2k4p` (the ReplicaSet hash
 * dropped), `todo-postgres-0` → `postgres-0`; `/container` when the pod runs more than one.
 * @param {string} pod
 * @param {string} container
 * @param {boolean} several
 */
export function podPrefix(pod, container, several) {
  const short = pod.replace(/^todo-/, '').replace(/-[a-z0-9]{6,10}-([a-z0-9]{5})$/, '-$1');
  return several ? `${short}/${container}` : short;
}

/**
 * The container instances of a pod: the running or finished one of each container, and the one
 * before it when it ended (lastState).
 * @param {Pod} pod
 */
export function instancesOf(pod) {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const several = (pod.spec?.initContainers?.length ?? 0) + (pod.spec?.containers?.length ?? 0) > 1;
  return statuses.map((s) => ({
    container: s.name,
    several: several || statuses.length > 1,
    current:
      s.state?.running || s.state?.terminated ? (s.containerID ?? `${s.name}#${s.restartCount ?? 0}`) : null,
    previous: s.lastState?.terminated?.containerID ?? null,
  }));
}

const COLORS = ['36', '35', '33', '32', '34', '96', '95', '93'];

/**
 * Follows the logs of every pod of `releases` until `stop()`.
 * @param {{
 *   target: import('./cluster.mjs').Target,
 *   runner: import('./exec.mjs').Runner,
 *   log: import('./log.mjs').Log,
 *   releases: string[],
 *   tail?: number,
 *   since?: Date,
 *   env?: NodeJS.ProcessEnv,
 *   color?: boolean,
 * }} o `tail` / `since`: how much of the instances already running at the start is shown
 *   (default: 10 lines); instances that start later are shown from their first line.
 */
export async function followLogs(o) {
  const { target, runner, log } = o;
  const selector = releaseSelector(o.releases);
  const base = kubectlArgs(target);
  /** @type {Map<string, import('./service.mjs').Service>} */
  const streams = new Map();
  /** instances already running when the follower started: shown from tail/since */
  const existing = new Set();
  /** instances whose lines were printed or asked for */
  const seen = new Set();
  /** @type {Map<string, string>} */
  const colorOf = new Map();
  let stopped = false;

  const paint = (/** @type {string} */ prefix) => {
    if (!o.color) return prefix;
    if (!colorOf.has(prefix)) colorOf.set(prefix, COLORS[colorOf.size % COLORS.length] ?? '36');
    return `\x1b[${colorOf.get(prefix)}m${prefix}\x1b[0m`;
  };
  const print = (/** @type {string} */ prefix, /** @type {string} */ line) =>
    log.info(`${paint(prefix)} │ ${line}`);
  const limit = () =>
    o.since ? [`--since-time=${o.since.toISOString()}`] : [`--tail=${String(o.tail ?? 10)}`];

  // which instances exist now (their earlier lines are limited by tail/since)
  const listArgs = [...base, 'get', 'pods', '--selector', selector, '--output', 'json'];
  if (runner.dryRun) {
    await runner.run('kubectl', listArgs);
    log.command(
      'kubectl',
      [...base, 'get', 'pods', '--selector', selector, '--watch', '--output', 'json'],
      true,
    );
    return { stop: async () => {}, done: Promise.resolve() };
  }
  const listed = await runner.run('kubectl', listArgs);
  if (!listed.ok) throw new Error(`cannot list the pods (${firstError(listed)})`);
  try {
    for (const pod of /** @type {Pod[]} */ (JSON.parse(listed.stdout).items ?? []))
      for (const i of instancesOf(pod)) {
        if (i.current) existing.add(i.current);
        if (i.previous) seen.add(i.previous); // ended before we came: `pnpm logs --previous` shows it
      }
  } catch {
    // an unreadable list: every instance counts as new (shown whole)
  }

  /** @param {Pod} pod */
  const onPod = (pod) => {
    const name = pod.metadata?.name;
    if (!name || stopped) return;
    for (const i of instancesOf(pod)) {
      const prefix = podPrefix(name, i.container, i.several);
      if (i.previous && !seen.has(i.previous)) {
        // ended while we were not streaming it (a crash between two events): read it once
        seen.add(i.previous);
        void runner
          .run('kubectl', [...base, 'logs', name, '--container', i.container, '--previous'])
          .then((r) => {
            if (!r.ok || stopped) return;
            for (const line of r.stdout.split('\n')) if (line) print(`${prefix} (previous)`, line);
          });
      }
      if (!i.current || seen.has(i.current)) continue;
      seen.add(i.current);
      const args = [...base, 'logs', name, '--container', i.container, '--follow'];
      if (existing.has(i.current)) args.push(...limit());
      const lines = lineStream((line) => print(prefix, line));
      const s = startService(`logs ${name}`, 'kubectl', args, {
        ...(o.env ? { env: o.env } : {}),
        onOutput: (text) => lines.push(text),
      });
      streams.set(i.current, s);
      s.child.once('close', () => {
        lines.flush();
        streams.delete(/** @type {string} */ (i.current));
      });
    }
  };

  /** @type {import('./service.mjs').Service | null} */
  let watcher = null;
  /** @type {(v?: unknown) => void} */
  let finish = () => {};
  const done = new Promise((resolve) => {
    finish = resolve;
  });
  const watch = () => {
    const events = jsonStream((v) => onPod(v?.object ?? v));
    watcher = startService(
      'pod watch',
      'kubectl',
      [
        ...base,
        'get',
        'pods',
        '--selector',
        selector,
        '--watch',
        '--output-watch-events',
        '--output',
        'json',
      ],
      {
        ...(o.env ? { env: o.env } : {}),
        onOutput: (text, stream) => {
          if (stream === 'stdout') events.push(text);
        },
      },
    );
    // the API server ends a watch now and then: start another (the instances already followed
    // are not followed twice)
    watcher.child.once('close', () => {
      if (!stopped) setTimeout(() => !stopped && watch(), 1000);
    });
  };
  watch();

  return {
    /** Ends the watch and every log stream. */
    async stop() {
      stopped = true;
      await Promise.all([watcher?.stop(2_000), ...[...streams.values()].map((s) => s.stop(2_000))]);
      finish();
    },
    /** Resolves once `stop()` has run. */
    done,
  };
}

/**
 * The pods of `releases` as one `kubectl get pods` lists them now; `pods` is empty when the listing
 * did not run (dry run) or failed, which `listing` tells and the caller reports its own way.
 * @param {{ target: import('./cluster.mjs').Target, runner: import('./exec.mjs').Runner, releases: string[] }} o
 * @returns {Promise<{ listing: import('./exec.mjs').RunResult, pods: Pod[] }>}
 */
export async function listPods(o) {
  const listing = await o.runner.run('kubectl', [
    ...kubectlArgs(o.target),
    'get',
    'pods',
    '--selector',
    releaseSelector(o.releases),
    '--output',
    'json',
  ]);
  const ran = listing.ok && !listing.dry;
  return { listing, pods: ran ? (JSON.parse(listing.stdout || '{}').items ?? []) : [] };
}

/**
 * The previous container's logs of every pod of `releases` that restarted (the crash's output).
 * @param {{ target: import('./cluster.mjs').Target, runner: import('./exec.mjs').Runner, log: import('./log.mjs').Log, releases: string[] }} o
 * @returns {Promise<number>} how many instances were shown
 */
export async function previousLogs(o) {
  const base = kubectlArgs(o.target);
  const { listing, pods } = await listPods(o);
  if (listing.dry) return 0;
  if (!listing.ok) throw new Error(`cannot list the pods (${firstError(listing)})`);
  let shown = 0;
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    for (const i of instancesOf(pod)) {
      if (!i.previous) continue;
      const prev = await o.runner.run('kubectl', [
        ...base,
        'logs',
        name,
        '--container',
        i.container,
        '--previous',
      ]);
      const prefix = podPrefix(name, i.container, i.several);
      if (!prev.ok) {
        o.log.warn(`${prefix}: no previous logs (${firstError(prev)})`);
        continue;
      }
      shown++;
      for (const line of prev.stdout.split('\n')) if (line) o.log.info(`${prefix} (previous) │ ${line}`);
    }
  }
  return shown;
}
