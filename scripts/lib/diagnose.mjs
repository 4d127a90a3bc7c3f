// @ts-check
// Why are pods not Ready? Collects pods, events and last log lines, and names the probable
// cause in plain words. Analysis is pure (unit-tested); collection goes through the runner.
import { kubectlArgs } from './cluster.mjs';
import { firstError } from './exec.mjs';

/**
 * @typedef {{ pod: string, phase: string, ready: boolean, cause: string, advice: string, details: string[], logs: string[] }} Finding
 * @typedef {{ metadata?: { name?: string, labels?: Record<string, string> }, status?: any, spec?: any }} Pod
 * @typedef {{ involvedObject?: { name?: string, kind?: string }, reason?: string, message?: string, type?: string, count?: number, lastTimestamp?: string, eventTime?: string }} KEvent
 */

/** @param {Pod} pod */
export function podReady(pod) {
  if (pod.status?.phase === 'Succeeded') return true;
  const c = (pod.status?.conditions ?? []).find((/** @type {any} */ x) => x.type === 'Ready');
  return c?.status === 'True';
}

/**
 * What to do about each reason the backend gives for not being ready: the code it logs in
 * `notReady` (apps/backend/src/db/client.ts, explainDatabaseError) next to the sentence it logs.
 * @type {Record<string, string>}
 */
export const NOT_READY_ADVICE = {
  db_password: 'correct the user or password in DATABASE_URL (.env), then run `pnpm turbo deploy`',
  db_access:
    "the database's access rules (pg_hba.conf, or its console's IP allow-list) refuse this cluster: allow the cluster's egress address",
  db_tls_required:
    'add `sslmode=verify-full` (or `sslmode=require`) to DATABASE_URL, then run `pnpm turbo deploy`',
  db_no_tls:
    'the server offers no TLS: enable TLS on it, or (on a private network only) remove sslmode from DATABASE_URL',
  db_tls_untrusted:
    "set PGSSLROOTCERT in .env to the CA certificate that signed the database's certificate (the chart mounts it, database.tls.caCert), then run `pnpm turbo deploy`",
  db_tls_hostname:
    'use the host name the certificate names in DATABASE_URL (or, knowing why, `sslmode=verify-ca`), then run `pnpm turbo deploy`',
  db_tls_expired: "the database server's certificate must be renewed",
  db_ca_file:
    'give the CA through PGSSLROOTCERT in .env (the chart mounts it), not as a sslrootcert path inside DATABASE_URL',
  db_missing: 'create the database, or correct its name in DATABASE_URL',
  db_refused:
    'check the host and port in DATABASE_URL; for the in-cluster database, that the todo-postgres pod runs (`pnpm diagnose todo-postgres`)',
  db_dns: 'check the host name in DATABASE_URL; the cluster DNS must resolve it',
  db_timeout:
    "packets are dropped on the way: check the database's allow-list and the backend's networkPolicy.allowExternalEgress",
  db_error: 'read the log lines below',
  db_unreachable: 'read the log lines below',
};

/**
 * The newest reason the backend logged for not being ready: its JSON log lines carry a code in
 * `notReady` and the reason in plain words in `msg`.
 * @param {string[]} logs
 * @returns {{ reason: string, sentence: string } | undefined}
 */
export function notReadyReason(logs) {
  for (const line of [...logs].reverse()) {
    const start = line.indexOf('{');
    if (start < 0 || !line.includes('"notReady"')) continue;
    try {
      const entry = JSON.parse(line.slice(start));
      if (typeof entry.notReady !== 'string') continue;
      const sentence = String(entry.msg ?? '')
        .replace(/^(database )?not ready: /i, '')
        .replace(/; migrations are tried again in \d+ s$/, '');
      return { reason: entry.notReady, sentence };
    } catch {
      // not a JSON line after all
    }
  }
  return undefined;
}

const MISSING_VAR =
  /(BETTER_AUTH_SECRET|DATABASE_URL|PGPASSWORD|environment variable|env(?:ironment)? var|is required|required but|must be set|is not set|missing (?:required )?(?:env|variable|secret))/i;

/**
 * @param {Pod} pod
 * @param {KEvent[]} events events whose involvedObject is this pod
 * @param {string[]} logs last log lines (current and previous container)
 * @returns {Finding}
 */
export function analyzePod(pod, events, logs) {
  const name = pod.metadata?.name ?? '?';
  const phase = pod.status?.phase ?? 'Unknown';
  /** @type {any[]} */
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const waiting = statuses.map((s) => s.state?.waiting).filter(Boolean);
  const terminated = statuses.map((s) => s.lastState?.terminated ?? s.state?.terminated).filter(Boolean);
  const reasons = new Set([...waiting.map((w) => w.reason), ...terminated.map((t) => t.reason)]);
  const evReasons = new Set(events.map((e) => e.reason));
  const evText = events.map((e) => `${e.reason}: ${e.message ?? ''}`);
  const details = [
    ...waiting.map((w) => `waiting: ${w.reason}${w.message ? ` — ${w.message}` : ''}`),
    ...terminated.map((t) => `last exit: ${t.reason ?? 'terminated'} (code ${t.exitCode ?? '?'})`),
    ...events
      .filter((e) => e.type === 'Warning')
      .slice(-5)
      .map((e) => `event ${e.reason}: ${e.message ?? ''}`),
  ];
  const unschedulable = (pod.status?.conditions ?? []).find(
    (/** @type {any} */ c) => c.type === 'PodScheduled' && c.status === 'False',
  );
  const ready = podReady(pod);
  /** @param {string} cause @param {string} advice */
  const finding = (cause, advice) => ({ pod: name, phase, ready, cause, advice, details, logs });
  const image = pod.spec?.containers?.[0]?.image ?? 'the image';

  if (
    reasons.has('ErrImageNeverPull') ||
    reasons.has('ErrImagePull') ||
    reasons.has('ImagePullBackOff') ||
    evReasons.has('ErrImageNeverPull')
  ) {
    return finding(
      `image not loaded: the cluster does not have ${image} and cannot pull it`,
      'run `pnpm turbo load` (or `pnpm turbo deploy`); with CLUSTER=current check IMAGE_LOADER',
    );
  }
  if (reasons.has('InvalidImageName'))
    return finding(
      `invalid image name ${image}`,
      'check the tag file in apps/<app>/.image/tag and POSTGRES_IMAGE',
    );
  if (reasons.has('CreateContainerConfigError')) {
    const msg = waiting.find((w) => w.reason === 'CreateContainerConfigError')?.message ?? '';
    return finding(
      `a Secret or ConfigMap it needs is missing (${msg})`,
      'deploy the charts in order with `pnpm turbo deploy`, or create the existingSecret you configured',
    );
  }
  if (reasons.has('OOMKilled'))
    return finding(
      'killed for using more memory than its limit (OOMKilled)',
      "raise the chart's resources.limits.memory",
    );
  const crashed = reasons.has('CrashLoopBackOff') || reasons.has('Error') || evReasons.has('BackOff');
  if (crashed) {
    const missing = logs.find((l) => MISSING_VAR.test(l));
    if (missing) {
      return finding(
        `crashes at start-up because a variable is missing: "${missing.trim()}"`,
        'set it in .env (see .env.example) and run `pnpm turbo deploy` again',
      );
    }
    return finding(
      'the container keeps crashing at start-up (CrashLoopBackOff)',
      'read the log lines below; `kubectl logs --previous` shows the last crash',
    );
  }
  if (phase === 'Pending' && (unschedulable || evReasons.has('FailedScheduling'))) {
    const msg = unschedulable?.message ?? evText.find((t) => t.startsWith('FailedScheduling')) ?? '';
    if (/Insufficient (cpu|memory)/i.test(msg)) {
      return finding(
        `pending: not enough free CPU or memory on the node (${msg.trim()})`,
        "give Minikube more (MINIKUBE_CPUS / MINIKUBE_MEMORY in .env, then `pnpm scripts/reset.mjs`) or lower the charts' resources.requests",
      );
    }
    if (/persistentvolumeclaim|unbound/i.test(msg)) {
      return finding(
        `pending: its volume cannot be bound (${msg.trim()})`,
        'enable a default StorageClass (`minikube addons enable storage-provisioner default-storageclass`)',
      );
    }
    return finding(
      `pending: cannot be scheduled (${msg.trim()})`,
      "`kubectl describe pod` shows the scheduler's reasons",
    );
  }
  if (evReasons.has('FailedMount') || evReasons.has('FailedAttachVolume')) {
    return finding('a volume cannot be mounted', 'see the events below');
  }
  const why = !ready && phase === 'Running' ? notReadyReason(logs) : undefined;
  if (why) {
    return finding(
      `running, not Ready: ${why.sentence}`,
      NOT_READY_ADVICE[why.reason] ?? 'read the log lines below',
    );
  }
  if (evReasons.has('Unhealthy')) {
    const probe = evText.find((t) => t.startsWith('Unhealthy')) ?? '';
    return finding(
      `running but its health probe fails (${probe.replace(/^Unhealthy: /, '').trim()})`,
      'the app starts but does not answer /ready: check its database connection and the log lines below',
    );
  }
  if (phase === 'Pending')
    return finding('pending (still being created)', 'wait a little, or see the events below');
  if (!ready)
    return finding('running but not Ready yet', 'wait for the readiness probe, or see the events below');
  return finding('ready', '');
}

/**
 * @param {{ items?: Pod[] }} pods
 * @param {{ items?: KEvent[] }} events
 * @param {Record<string, string[]>} logsByPod
 * @returns {Finding[]} findings for pods that are not Ready
 */
export function analyze(pods, events, logsByPod) {
  const evs = events.items ?? [];
  return (pods.items ?? [])
    .filter((p) => !podReady(p))
    .map((p) => {
      const name = p.metadata?.name ?? '';
      return analyzePod(
        p,
        evs.filter((e) => e.involvedObject?.name === name),
        logsByPod[name] ?? [],
      );
    });
}

/** @param {string} text */
function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/**
 * Collects and analyses. Returns null when the cluster cannot be queried (with the reason).
 * @param {import('./cluster.mjs').Target} t
 * @param {import('./exec.mjs').Runner} runner
 * @param {{ release?: string }} [o]
 * @returns {Promise<{ findings: Finding[], podCount: number, error?: string }>}
 */
export async function collect(t, runner, o = {}) {
  const sel = o.release ? ['--selector', `app.kubernetes.io/instance=${o.release}`] : [];
  const pods = await runner.run('kubectl', [...kubectlArgs(t), 'get', 'pods', ...sel, '--output', 'json']);
  if (!pods.ok) return { findings: [], podCount: 0, error: firstError(pods) };
  const podJson = parseJson(pods.stdout);
  const notReady = (podJson.items ?? []).filter((/** @type {Pod} */ p) => !podReady(p));
  /** @type {Record<string, string[]>} */
  const logs = {};
  let eventsJson = { items: [] };
  if (notReady.length) {
    const ev = await runner.run('kubectl', [...kubectlArgs(t), 'get', 'events', '--output', 'json']);
    if (ev.ok) eventsJson = parseJson(ev.stdout);
    for (const p of notReady.slice(0, 6)) {
      const name = p.metadata?.name ?? '';
      const restarted = (p.status?.containerStatuses ?? []).some(
        (/** @type {any} */ s) => (s.restartCount ?? 0) > 0,
      );
      const r = await runner.run('kubectl', [
        ...kubectlArgs(t),
        'logs',
        name,
        '--all-containers',
        '--tail',
        '20',
        ...(restarted ? ['--previous'] : []),
      ]);
      logs[name] = (r.ok ? r.stdout : '')
        .split('\n')
        .filter((l) => l.trim())
        .slice(-20);
    }
  }
  return { findings: analyze(podJson, eventsJson, logs), podCount: (podJson.items ?? []).length };
}

/**
 * A log line as a person reads it: a JSON (pino) line becomes its message, and its error's.
 * @param {string} line
 */
export function readableLogLine(line) {
  if (!line.trimStart().startsWith('{')) return line;
  try {
    const entry = JSON.parse(line);
    if (typeof entry.msg !== 'string') return line;
    const err = typeof entry.err?.message === 'string' ? ` (${entry.err.message})` : '';
    return `${entry.msg}${err}`;
  } catch {
    return line;
  }
}

/**
 * @param {import('./log.mjs').Log} log
 * @param {Finding[]} findings
 */
export function report(log, findings) {
  for (const f of findings) {
    log.problem(`pod ${f.pod} (${f.phase}): ${f.cause}${f.advice ? ` → ${f.advice}` : ''}`);
    for (const d of f.details) log.detail(d);
    if (f.logs.length) {
      log.detail('last log lines:');
      for (const l of f.logs.slice(-10)) log.detail(`  ${readableLogLine(l)}`);
    }
  }
}
