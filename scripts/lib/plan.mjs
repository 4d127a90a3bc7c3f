// @ts-check
// What a deploy will do, decided in one place. For each chart in dependency order: the desired
// state (values, release digest, images, chart version) computed locally, the release's live
// state read from Helm (one `helm list` for all releases when nothing changed, two otherwise),
// and `decide()`: the one function whose answer `deploy.mjs --plan` prints and the real deploy
// (scripts/deploy.mjs, watch mode) acts on, so a plan and the deploy after it cannot disagree.
// About 400 lines because the three (desired state, live state, decision) and the plan's two
// renderings stay in one module: split up, the plan and the deploy could drift apart.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chartSource, resolveChart } from './chart-source.mjs';
import { helmTargetArgs } from './cluster.mjs';
import { canonicalJson, deployDigest } from './digest.mjs';
import { EXIT, ScriptError } from './errors.mjs';
import { firstError } from './exec.mjs';
import { DIGEST_LABEL, QUERY_TIMEOUT_MS } from './helm.mjs';
import { chartDir, chartNames, REPO_ROOT } from './repo.mjs';
import { chartValues, isExternalDatabase, userValuesFile } from './values.mjs';

/**
 * @typedef {{
 *   chart: string,
 *   release: string,
 *   external: string | null,
 *   digest: string,
 *   chartVersion: string,
 *   set: Record<string, import('./values.mjs').HelmValue>,
 *   secret: Record<string, string>,
 *   images: string[],
 *   chartPath: string,
 *   chartRef: string,
 *   released: boolean,
 *   valuesFiles: string[],
 * }} Desired
 *   `external`: why the chart is not deployed at all (an external database), else null.
 *   `chartPath`: what Helm installs (this working tree's chart folder, a released chart pulled
 *   from CHART_SOURCE, or its reference in a dry run); `chartRef` names it for people; `released`: it came from CHART_SOURCE.
 *   `valuesFiles`: the user's own values file (CHART_VALUES_DIR/<chart>.yaml), applied under the
 *   pipeline's values and counted in the digest.
 * @typedef {{
 *   status: string,
 *   revision: number,
 *   chartVersion: string,
 *   digestMatches: boolean,
 *   values?: Record<string, unknown> | null,
 * }} Live
 *   `digestMatches`: the latest revision carries this deploy's digest label. `values`: the
 *   release's user-supplied values as dotted keys (read only when the release will change).
 * @typedef {'install' | 'upgrade' | 'skip' | 'repair-uninstall' | 'repair-rollback' | 'absent'} Action
 * @typedef {{ action: Action, reason: string, changes: string[] }} Decision
 * @typedef {Decision & { chart: string, release: string, revision: number | null, want: Desired }} Entry
 * @typedef {{ context: string | null, namespace: string, order: string[], entries: Entry[] }} Plan
 */

/**
 * `helm list` flags that show the latest revision of every release whatever its status. Helm 3
 * lists only deployed and failed ones by default and needs `--all` for the rest; Helm 4 lists
 * every status by default and has no `--all` (an unknown flag there). These work on both.
 */
export const EVERY_STATUS = ['--deployed', '--failed', '--pending', '--uninstalled', '--uninstalling'];

/** Actions that change the cluster. @param {Action} a */
export const changes = (a) => a !== 'skip' && a !== 'absent';

/**
 * The chart's version as its Chart.yaml states it.
 * @param {string} dir
 */
export function chartVersionOf(dir) {
  try {
    const text = fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8');
    return /^version:\s*["']?([^"'\s#]+)/m.exec(text)?.[1] ?? '';
  } catch {
    return '';
  }
}

/**
 * What the release of `chart` should be, from the chart's source and the configuration alone.
 * @param {string} chart
 * @param {import('./env.mjs').Config} cfg
 * @param {import('./cluster.mjs').Target} target
 * @param {{ root?: string, source?: { dir: string | null, ref: string, released: boolean, version: string | null } }} [o]
 *   `source`: where the chart comes from (chart-source.mjs's resolveChart); default this working tree
 * @returns {Desired}
 */
export function desiredState(chart, cfg, target, o = {}) {
  const root = o.root ?? REPO_ROOT;
  const source = o.source ?? {
    dir: chartDir(chart, root),
    ref: `charts/${chart}`,
    released: false,
    version: null,
  };
  const chartVersion = source.version ?? (source.dir ? chartVersionOf(source.dir) : '');
  const base = {
    chart,
    release: chart,
    chartVersion,
    chartPath: source.dir ?? source.ref,
    chartRef: source.ref,
    released: source.released,
  };
  if (chart === 'todo-postgres' && isExternalDatabase(cfg.get('DATABASE_URL'))) {
    return {
      ...base,
      external: 'DATABASE_URL points the backend at an external PostgreSQL',
      digest: '',
      set: {},
      secret: {},
      images: [],
      valuesFiles: [],
    };
  }
  const v = chartValues(chart, cfg, target, {
    ...(o.root ? { root: o.root } : {}),
    released: source.released,
  });
  const own = userValuesFile(chart, cfg);
  // the user's values file counts in the digest by its content, as a value of its own
  const digested = own
    ? { ...v.set, [`--values ${path.basename(own)}`]: fs.readFileSync(own, 'utf8') }
    : v.set;
  return {
    ...base,
    external: null,
    digest: source.dir
      ? deployDigest({ chartDir: source.dir, values: digested, secretValues: v.secret })
      : 'dry-run',
    ...v,
    valuesFiles: own ? [own] : [],
  };
}

/** @param {string} s */
const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * @param {string} stdout `helm list --output json`
 * @returns {Map<string, { status: string, revision: number, chartVersion: string }>}
 */
export function parseReleaseList(stdout) {
  /** @type {Map<string, { status: string, revision: number, chartVersion: string }>} */
  const out = new Map();
  let rows;
  try {
    rows = JSON.parse(stdout || '[]');
  } catch {
    rows = [];
  }
  for (const row of Array.isArray(rows) ? rows : []) {
    if (typeof row?.name !== 'string') continue;
    // `chart` is <chart name>-<version>; the releases are named after their charts
    const chart = String(row.chart ?? '');
    out.set(row.name, {
      status: String(row.status ?? ''),
      revision: Number(row.revision ?? 0),
      chartVersion: chart.startsWith(`${row.name}-`)
        ? chart.slice(row.name.length + 1)
        : (/-(\d.*)$/.exec(chart)?.[1] ?? ''),
    });
  }
  return out;
}

/**
 * Reads the live state of every release in `desired` (the external ones aside). Helm applies
 * `--selector` to the latest revision of each release (after the status filter), on the client,
 * with Kubernetes label selector syntax (`in (…)` included), so one query answers "which releases already carry the
 * digest this deploy would record": when all do, that is the only query. Otherwise a second,
 * unfiltered list gives the others' status and revision.
 * @param {import('./cluster.mjs').Target} target
 * @param {import('./exec.mjs').Runner} runner
 * @param {Desired[]} desired
 * @returns {Promise<Map<string, Live>>}
 */
export async function readReleases(target, runner, desired) {
  const wanted = desired.filter((d) => !d.external);
  /** @type {Map<string, Live>} */
  const live = new Map();
  if (!wanted.length) return live;
  const list = async (/** @type {string[]} */ extra) => {
    const r = await runner.run(
      'helm',
      [
        'list',
        ...helmTargetArgs(target),
        ...EVERY_STATUS,
        '--filter',
        `^(${wanted.map((d) => escapeRegex(d.release)).join('|')})$`,
        ...extra,
        '--output',
        'json',
      ],
      { timeoutMs: QUERY_TIMEOUT_MS },
    );
    if (r.missing)
      throw new ScriptError(
        'helm is not installed: see https://helm.sh/docs/intro/install/ (Helm 3.13+ or 4).',
        EXIT.PREREQ,
      );
    if (!r.ok)
      throw new ScriptError(
        `cannot read the releases (${firstError(r)}): is the cluster reachable? \`pnpm run doctor\` checks everything the deploy needs.`,
        EXIT.CLUSTER,
      );
    return parseReleaseList(r.stdout);
  };
  const digests = [...new Set(wanted.map((d) => d.digest))];
  const matched = await list(['--selector', `${DIGEST_LABEL} in (${digests.join(',')})`]);
  const allCurrent = wanted.every((d) => matched.get(d.release)?.status === 'deployed');
  const all = allCurrent ? matched : await list([]);
  for (const d of wanted) {
    const row = all.get(d.release);
    if (!row) continue;
    const m = matched.get(d.release);
    live.set(d.release, { ...row, digestMatches: m?.revision === row.revision });
  }
  return live;
}

/**
 * A release's user-supplied values (`helm get values`), flattened to dotted keys; null when they
 * cannot be read. Only the keys are ever printed: the values may hold secrets.
 * @param {import('./cluster.mjs').Target} target
 * @param {import('./exec.mjs').Runner} runner
 * @param {string} release
 */
export async function readValues(target, runner, release) {
  const r = await runner.run(
    'helm',
    ['get', 'values', release, ...helmTargetArgs(target), '--output', 'json'],
    { timeoutMs: QUERY_TIMEOUT_MS },
  );
  if (!r.ok || r.dry) return null;
  try {
    return flattenValues(JSON.parse(r.stdout || '{}') ?? {});
  } catch {
    return null;
  }
}

/**
 * `{ a: { b: 1 }, c: [1] }` → `{ 'a.b': 1, c: [1] }` (arrays are leaves, like `--set-json`).
 * @param {unknown} v
 * @param {string} [prefix]
 * @returns {Record<string, unknown>}
 */
export function flattenValues(v, prefix = '') {
  /** @type {Record<string, unknown>} */
  const out = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v))
      Object.assign(out, flattenValues(x, prefix ? `${prefix}.${k}` : k));
  } else if (prefix) out[prefix] = v;
  return out;
}

/** @param {unknown} v */
const hashOf = (v) => createHash('sha256').update(canonicalJson(v)).digest('hex');

/**
 * Which inputs differ between the live release and the desired one, in words: the image tag,
 * the values (by key), the secret values (by key, never their content), the chart version, and
 * otherwise the chart's files. Empty when nothing can be told (no live values).
 * @param {Desired} want
 * @param {Live} live
 * @returns {string[]}
 */
export function changedInputs(want, live) {
  /** @type {string[]} */
  const out = [];
  if (live.values) {
    const was = live.values;
    const repo = was['image.repository'];
    const tag = was['image.tag'];
    const newRepo = want.set['image.repository'];
    const newTag = want.set['image.tag'];
    if (newTag !== undefined && (repo !== newRepo || tag !== newTag)) {
      out.push(
        repo === newRepo
          ? `image tag ${tag ?? '(none)'} → ${newTag}`
          : `image ${repo ?? '(none)'}:${tag ?? '(none)'} → ${newRepo}:${newTag}`,
      );
    }
    const secretKeys = new Set(Object.keys(want.secret));
    const valueKeys = new Set(
      [...Object.keys(want.set), ...Object.keys(was)].filter(
        (k) => k !== 'image.repository' && k !== 'image.tag' && !secretKeys.has(k),
      ),
    );
    const values = [...valueKeys].filter((k) => hashOf(was[k]) !== hashOf(want.set[k])).sort();
    if (values.length) out.push(`values: ${values.join(', ')}`);
    const secrets = [...secretKeys].filter((k) => hashOf(was[k]) !== hashOf(want.secret[k])).sort();
    if (secrets.length) out.push(`secret values: ${secrets.join(', ')}`);
  }
  if (live.chartVersion && want.chartVersion && live.chartVersion !== want.chartVersion) {
    out.push(`chart version ${live.chartVersion} → ${want.chartVersion}`);
  }
  if (live.values && !out.length && !live.digestMatches) {
    out.push('chart files (templates, defaults or the packaged todo-common)');
  }
  return out;
}

/**
 * The one decision: what to do with a release, given what it should be and what it is.
 * @param {Desired} want
 * @param {Live | null | undefined} live
 * @param {{ force?: boolean }} [o]
 * @returns {Decision}
 */
export function decide(want, live, o = {}) {
  if (want.external) return { action: 'absent', reason: want.external, changes: [] };
  if (!live || live.status === 'uninstalled')
    return { action: 'install', reason: 'not installed yet', changes: [] };
  const diff = live.digestMatches ? [] : changedInputs(want, live);
  if (live.status === 'pending-install')
    return {
      action: 'repair-uninstall',
      reason: 'a previous install was interrupted (pending-install)',
      changes: diff,
    };
  if (live.status === 'pending-upgrade' || live.status === 'pending-rollback')
    return {
      action: 'repair-rollback',
      reason: `a previous run was interrupted (${live.status})`,
      changes: diff,
    };
  if (live.status === 'failed' && live.revision <= 1)
    return { action: 'repair-uninstall', reason: 'the first install failed', changes: diff };
  if (live.status === 'deployed' && live.digestMatches)
    return o.force
      ? { action: 'upgrade', reason: 'forced (--force)', changes: [] }
      : { action: 'skip', reason: `unchanged since revision ${live.revision}`, changes: [] };
  if (live.status !== 'deployed')
    return { action: 'upgrade', reason: `last revision is ${live.status}`, changes: diff };
  return {
    action: 'upgrade',
    reason: diff.length ? diff.join('; ') : 'chart, values or image changed',
    changes: diff,
  };
}

/**
 * The plan for `charts` (default: every deployable chart), in dependency order. Read-only.
 * @param {{
 *   charts?: string[],
 *   cfg: import('./env.mjs').Config,
 *   target: import('./cluster.mjs').Target,
 *   runner: import('./exec.mjs').Runner,
 *   force?: boolean,
 *   root?: string,
 * }} o
 * @returns {Promise<Plan>}
 */
export async function planDeploy(o) {
  const order = chartNames(o.root);
  const selected = new Set(o.charts?.length ? o.charts : order);
  const charts = order.filter((c) => selected.has(c));
  // this working tree's charts, or released ones pulled from CHART_SOURCE (their images pinned in them)
  const sources = chartSource(o.cfg)
    ? await Promise.all(charts.map((c) => resolveChart(c, o.cfg, o.runner)))
    : charts.map(() => undefined);
  const desired = charts.map((c, i) => {
    const source = sources[i];
    return desiredState(c, o.cfg, o.target, {
      ...(o.root ? { root: o.root } : {}),
      ...(source ? { source } : {}),
    });
  });
  const live = await readReleases(o.target, o.runner, desired);
  // the values of the releases that will change, to say which of their inputs did
  await Promise.all(
    desired.map(async (d) => {
      const l = live.get(d.release);
      if (l && !l.digestMatches && l.status !== 'uninstalled')
        l.values = await readValues(o.target, o.runner, d.release);
    }),
  );
  return {
    context: o.target.context,
    namespace: o.target.namespace,
    order: charts,
    entries: desired.map((want) => {
      const l = live.get(want.release);
      return {
        chart: want.chart,
        release: want.release,
        revision: l?.revision ?? null,
        want,
        ...decide(want, l, { force: o.force }),
      };
    }),
  };
}

/**
 * The plan as lines for a person.
 * @param {Plan} plan
 * @returns {string[]}
 */
export function formatPlan(plan) {
  const width = Math.max(...plan.entries.map((e) => e.release.length));
  const lines = [`dependency order: ${plan.order.join(' → ')}`];
  for (const e of plan.entries) {
    const what =
      e.action === 'skip'
        ? e.reason
        : e.action === 'absent'
          ? `not deployed: ${e.reason}`
          : e.action === 'install'
            ? `${e.reason}${e.want.images.length ? ` (${e.want.images.join(', ')})` : ''}`
            : `${e.revision !== null ? `revision ${e.revision} → ${e.revision + 1}: ` : ''}${e.reason}${
                e.action.startsWith('repair') && e.changes.length ? `; then: ${e.changes.join('; ')}` : ''
              }`;
    const label = e.action.startsWith('repair') ? 'repair+upgrade' : e.action;
    lines.push(`  ${e.release.padEnd(width)}  ${label.padEnd(14)} ${what}`);
  }
  const n = plan.entries.filter((e) => changes(e.action)).length;
  lines.push(n ? `${n} of ${plan.entries.length} release(s) would change` : 'nothing would change');
  return lines;
}

/**
 * The plan as data (`deploy.mjs --plan --json`): no secret, no values, only what and why.
 * @param {Plan} plan
 */
export function planJson(plan) {
  return {
    context: plan.context,
    namespace: plan.namespace,
    order: plan.order,
    releases: plan.entries.map((e) => ({
      release: e.release,
      action: e.action,
      reason: e.reason,
      changes: e.changes,
      revision: e.revision,
      digest: e.want.digest || null,
      chartVersion: e.want.chartVersion,
      images: e.want.images,
    })),
  };
}
