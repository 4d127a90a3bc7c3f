// @ts-check
// Carries out a deploy plan (plan.mjs), release by release in dependency order: doctor's checks
// before the first change, the repair of a release an earlier run left half-done, the images the
// release runs loaded into the cluster, then `helm upgrade --install` with wait, explicit timeout
// and rollback on failure, watched so a failure is diagnosed in plain words. A release that fails
// stops the releases after it (they depend on it). Used by scripts/deploy.mjs and watch mode.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { interruption, withSecretFile } from './cleanup.mjs';
import { helmTargetArgs } from './cluster.mjs';
import { ensureImage, ensureLocalAppImage, requireLocalImage } from './cluster-images.mjs';
import { collect, report } from './diagnose.mjs';
import { reportChecks, runChecks } from './doctor/run.mjs';
import { EXIT, ScriptError } from './errors.mjs';
import { firstError } from './exec.mjs';
import { helmVersion, upgradeArgs } from './helm.mjs';
import { formatDuration } from './log.mjs';
import { changes } from './plan.mjs';
import { chartOf, REPO_ROOT } from './repo.mjs';
import { nest } from './values.mjs';

/**
 * How a release left half-done by an earlier run is repaired before the upgrade.
 * @type {Record<string, { verb: string, done: string, failed: (release: string, why: string, ns: string) => string }>}
 */
const REPAIRS = {
  'repair-uninstall': {
    verb: 'uninstall',
    done: 'removed, installing again',
    failed: (release, why) => `cannot remove the broken release ${release}: ${why}`,
  },
  'repair-rollback': {
    verb: 'rollback',
    done: 'rolled back to the last good revision',
    failed: (release, why, ns) =>
      `cannot roll back the interrupted release ${release}: ${why}. Try \`helm history ${release} -n ${ns}\`.`,
  },
};

/**
 * @typedef {{ release: string, action: import('./plan.mjs').Action, ms: number, imagesMs: number, upgradeMs: number }} Applied
 */

/**
 * @param {{
 *   cfg: import('./env.mjs').Config,
 *   log: import('./log.mjs').Log,
 *   runner: import('./exec.mjs').Runner,
 *   target: import('./cluster.mjs').Target,
 *   retry?: string,
 *   quietSkips?: boolean,
 * }} o `retry`: what the user does after fixing a failure (default: run `pnpm turbo deploy`
 *   again). `quietSkips`: no line for a release that stays as it is (watch mode's rounds say it
 *   once). `cfg` is read at each use, so a caller may replace it between plans.
 */
export function createRollout(o) {
  const { log, runner, target } = o;
  const retry = o.retry ?? 'run `pnpm turbo deploy` again';
  /** @type {Promise<{ major: number, version: string }> | null} */
  let helm = null;
  let checked = false;

  /** doctor's checks, once per process, before the first change; a blocker stops the deploy. */
  async function preflight() {
    if (checked || runner.dryRun) return;
    const t0 = performance.now();
    const answered = await runChecks({ runner, cfg: o.cfg, target });
    const r = reportChecks(log, answered, { quiet: true });
    if (r.blockers)
      throw new ScriptError(
        `doctor: ${r.blockers} problem(s) above block the deploy; nothing was changed. Fix them (\`pnpm run doctor\` checks again).`,
        EXIT.PREREQ,
      );
    checked = true;
    log.ok(
      `doctor: ${r.count} checks passed${r.warnings ? `, ${r.warnings} warning(s)` : ''} (${formatDuration(performance.now() - t0)})`,
    );
  }

  /**
   * Carries out one entry of a plan.
   * @param {import('./plan.mjs').Entry} e
   * @returns {Promise<Applied>}
   */
  async function apply(e) {
    const t0 = performance.now();
    const done = (/** @type {number} */ imagesMs, /** @type {number} */ upgradeMs) => ({
      release: e.release,
      action: e.action,
      ms: performance.now() - t0,
      imagesMs,
      upgradeMs,
    });
    if (e.action === 'skip') {
      if (!o.quietSkips) log.ok(`${e.release} ${e.reason}: not upgraded`);
      return done(0, 0);
    }
    if (e.action === 'absent') {
      if (!o.quietSkips) log.ok(`${e.release} not deployed: ${e.reason}`);
      return done(0, 0);
    }
    await preflight();
    const repair = REPAIRS[e.action];
    if (repair) {
      await log.step(`repair ${e.release}: ${e.reason}`, async () => {
        const args = [repair.verb, e.release, ...helmTargetArgs(target), '--wait', '--timeout', '2m0s'];
        const r = await runner.run('helm', args, { change: true, stream: true });
        if (!r.ok)
          throw new ScriptError(repair.failed(e.release, firstError(r), target.namespace), EXIT.CLUSTER);
        return repair.done;
      });
    }
    if (e.want.released)
      log.info(`chart ${e.release}: ${e.want.chartRef}, released (its image pinned in it)`);
    const ti = performance.now();
    const app = chartOf(e.chart)?.app;
    for (const image of e.want.images) {
      const ensureLocal = app
        ? ensureLocalAppImage(runner, app, path.join(REPO_ROOT, 'scripts', 'image.mjs'))
        : requireLocalImage(runner);
      await log.step(`image ${image} in the cluster`, () => ensureImage(target, runner, image, ensureLocal));
    }
    const imagesMs = performance.now() - ti;
    helm ??= helmVersion(runner);
    const { major } = await helm;
    const timeout = o.cfg.require('HELM_TIMEOUT');
    const why = repair ? e.changes.join('; ') || 'after the repair' : e.reason;
    const tu = performance.now();
    await log.step(`helm upgrade --install ${e.release} (${why})`, () =>
      withValuesFile(runner.dryRun, JSON.stringify(nest(e.want.secret)), async (file) => {
        const args = upgradeArgs({
          release: e.release,
          chartPath: e.want.chartPath,
          target,
          major,
          timeout,
          digest: e.want.digest,
          set: e.want.set,
          valuesFiles: [...e.want.valuesFiles, file],
        });
        const watch = watchPods(target, runner, e.release);
        const r = await runner.run('helm', args, { change: true, stream: true });
        const seen = await watch.stop();
        if (r.ok) return runner.dryRun ? 'dry run' : `deployed (${timeout} budget)`;
        if (interruption.signal) {
          throw new ScriptError(
            `helm was stopped by ${interruption.signal} while deploying ${e.release}`,
            EXIT.INTERRUPTED,
          );
        }
        const text = `${r.stdout}${r.stderr}`;
        const outcome = /uninstalled/i.test(text)
          ? ' — Helm removed the failed first install'
          : /roll(ed)? ?back/i.test(text)
            ? ' — Helm rolled the release back, the previous version keeps running'
            : '';
        log.problem(`helm upgrade of ${e.release} failed: ${firstError(r)}${outcome}`);
        log.info(`diagnose ${e.release}:`);
        const now = await collect(target, runner, { release: e.release });
        const findings = now.findings.length ? now.findings : seen;
        if (findings.length) report(log, findings);
        else
          log.detail(
            now.error
              ? `cannot read the pods: ${now.error}`
              : 'no pod of this release is failing now; see the helm output above',
          );
        throw new ScriptError(
          `${e.release} was not deployed (exit ${r.exitCode}). Fix the cause above, then ${retry}; \`pnpm diagnose\` shows the pods' state.`,
          EXIT.DEPLOY,
        );
      }),
    );
    return done(imagesMs, performance.now() - tu);
  }

  /**
   * Carries out a whole plan in its order; stops at the first failure (what depends on it is not
   * attempted, and the message says so).
   * @param {import('./plan.mjs').Plan} plan
   * @returns {Promise<Applied[]>}
   */
  async function applyPlan(plan) {
    /** @type {Applied[]} */
    const applied = [];
    for (const [i, e] of plan.entries.entries()) {
      try {
        applied.push(await apply(e));
      } catch (err) {
        const rest = plan.entries.slice(i + 1).filter((x) => changes(x.action));
        if (rest.length && err instanceof ScriptError && err.exitCode !== EXIT.INTERRUPTED)
          log.warn(
            `not attempted, because they come after ${e.release}: ${rest.map((x) => x.release).join(', ')}`,
          );
        throw err;
      }
    }
    return applied;
  }

  return { preflight, apply, applyPlan };
}

/** @typedef {ReturnType<typeof createRollout>} Rollout */

/**
 * The secret values file; in dry-run mode nothing is written (a placeholder names it).
 * @template T
 * @param {boolean} dryRun
 * @param {string} content
 * @param {(file: string) => Promise<T>} fn
 */
function withValuesFile(dryRun, content, fn) {
  if (dryRun) return fn('<0600-temporary-file-with-the-secret-values>');
  return withSecretFile('values.json', content, fn);
}

/**
 * While helm waits, looks at the release's pods every 10 s and keeps the last problems seen, so
 * the diagnosis survives Helm's rollback (which deletes the failing pods).
 * @param {import('./cluster.mjs').Target} target
 * @param {import('./exec.mjs').Runner} runner
 * @param {string} release
 */
function watchPods(target, runner, release) {
  /** @type {import('./diagnose.mjs').Finding[]} */
  let last = [];
  let stopped = false;
  /** @type {Promise<void> | null} */
  let inflight = null;
  const timer = runner.dryRun
    ? null
    : setInterval(() => {
        if (inflight || stopped) return;
        inflight = collect(target, runner, { release })
          .then((d) => {
            if (d.findings.length) last = d.findings;
          })
          .catch(() => {})
          .finally(() => {
            inflight = null;
          });
      }, 10_000);
  return {
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (inflight) await inflight;
      return last;
    },
  };
}
