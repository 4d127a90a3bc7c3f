#!/usr/bin/env node
// @ts-check
// `deploy` task of a chart: helm upgrade --install with wait, explicit timeout and rollback on
// failure; skipped when chart files, values and image tag are unchanged since the last
// successful release (a digest kept as a release label); diagnoses the pods when it fails.
import fs from 'node:fs';
import path from 'node:path';
import { resolveChart } from './lib/chart-source.mjs';
import { interruption, withSecretFile } from './lib/cleanup.mjs';
import { describeTarget, helmTargetArgs, pinContext, resolveTarget } from './lib/cluster.mjs';
import { ensureImage, ensureLocalAppImage, requireLocalImage } from './lib/cluster-images.mjs';
import { collect, report } from './lib/diagnose.mjs';
import { deployDigest } from './lib/digest.mjs';
import { EXIT, ScriptError } from './lib/errors.mjs';
import { firstError } from './lib/exec.mjs';
import { helmVersion, planRelease, releaseInfo, upgradeArgs } from './lib/helm.mjs';
import { runScript } from './lib/main.mjs';
import { chartNames, chartOf, REPO_ROOT } from './lib/repo.mjs';
import { appUrl } from './lib/url.mjs';
import { chartValues, isExternalDatabase, nest, userValuesFile } from './lib/values.mjs';

/**
 * How a release left half-done by an earlier run is repaired before the upgrade (helm.mjs's plan).
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

/** The app is ready once the last chart of the deploy order is. */
const LAST_CHART = chartNames().at(-1);

await runScript(
  {
    name: 'deploy',
    summary: 'install or upgrade one chart (skipped when nothing changed; rolled back when it fails)',
    usage: 'node scripts/deploy.mjs <chart> [--dry-run] [--force]',
    positionals: [{ name: 'chart', description: 'chart to deploy', required: true, choices: chartNames() }],
    options: { force: { type: 'boolean', description: 'upgrade even when nothing changed' } },
    examples: ['pnpm turbo deploy', 'node scripts/deploy.mjs todo-backend --dry-run'],
  },
  async ({ cli, cfg, log, runner }) => {
    const chart = /** @type {string} */ (cli.positionals[0]);
    const release = chart;
    const target = await pinContext(resolveTarget(cfg), runner);
    log.info(`deploy ${chart}: ${describeTarget(target)}`);

    if (chart === 'todo-postgres' && isExternalDatabase(cfg.get('DATABASE_URL'))) {
      log.ok('todo-postgres not deployed: DATABASE_URL points the backend at an external PostgreSQL');
      return EXIT.OK;
    }

    // this working tree's chart, or a released one pulled from CHART_SOURCE (its image pinned in it)
    const source = await log.step(
      `chart ${chart}`,
      () => resolveChart(chart, cfg, runner),
      (c) => c.ref,
    );
    const values = await log.step(
      'compute values and digest',
      () => {
        const v = chartValues(chart, cfg, target, { released: source.released });
        // CHART_VALUES_DIR/<chart>.yaml, under the pipeline's values; its content counts in the digest
        const own = userValuesFile(chart, cfg);
        const digested = own
          ? { ...v.set, [`--values ${path.basename(own)}`]: fs.readFileSync(own, 'utf8') }
          : v.set;
        const digest = source.dir
          ? deployDigest({ chartDir: source.dir, values: digested, secretValues: v.secret })
          : 'dry-run';
        return { ...v, own, digest };
      },
      (v) => `digest ${v.digest}`,
    );
    // Independent queries: run them side by side.
    const [helm, info] = await Promise.all([
      log.step(
        'helm version',
        () => helmVersion(runner),
        (h) => h.version,
      ),
      log.step(
        `read release ${release}`,
        () => releaseInfo(target, runner, release, values.digest),
        (i) => (i ? `revision ${i.revision}, ${i.status}` : 'not installed'),
      ),
    ]);
    const plan = planRelease(info, values.digest);
    if (plan.action === 'skip' && !cli.values.force) {
      log.ok(`${release} unchanged since revision ${info?.revision}: not upgraded`);
    } else {
      const repair = REPAIRS[plan.action];
      if (repair) {
        await log.step(`repair ${release}: ${plan.reason}`, async () => {
          const args = [repair.verb, release, ...helmTargetArgs(target), '--wait', '--timeout', '2m0s'];
          const r = await runner.run('helm', args, { change: true, stream: true });
          if (!r.ok)
            throw new ScriptError(repair.failed(release, firstError(r), target.namespace), EXIT.CLUSTER);
          return repair.done;
        });
      }
      const app = chartOf(chart)?.app;
      for (const image of values.images) {
        const ensureLocal = app
          ? ensureLocalAppImage(runner, app, path.join(REPO_ROOT, 'scripts', 'image.mjs'))
          : requireLocalImage(runner);
        await log.step(`image ${image} in the cluster`, () =>
          ensureImage(target, runner, image, ensureLocal),
        );
      }
      const timeout = cfg.require('HELM_TIMEOUT');
      await log.step(`helm upgrade --install ${release} (${plan.reason})`, () =>
        withValuesFile(runner.dryRun, JSON.stringify(nest(values.secret)), async (file) => {
          const args = upgradeArgs({
            release,
            chartPath: source.dir ?? source.ref,
            target,
            major: helm.major,
            timeout,
            digest: values.digest,
            set: values.set,
            valuesFiles: [...(values.own ? [values.own] : []), file],
          });
          const watch = watchPods(target, runner, release);
          const r = await runner.run('helm', args, { change: true, stream: true });
          const seen = await watch.stop();
          if (r.ok) return runner.dryRun ? 'dry run' : `deployed (${timeout} budget)`;
          if (interruption.signal) {
            throw new ScriptError(
              `helm was stopped by ${interruption.signal} while deploying ${release}`,
              EXIT.INTERRUPTED,
            );
          }
          const text = `${r.stdout}${r.stderr}`;
          const outcome = /uninstalled/i.test(text)
            ? ' — Helm removed the failed first install'
            : /roll(ed)? ?back/i.test(text)
              ? ' — Helm rolled the release back, the previous version keeps running'
              : '';
          log.problem(`helm upgrade of ${release} failed: ${firstError(r)}${outcome}`);
          log.info(`diagnose ${release}:`);
          const now = await collect(target, runner, { release });
          const findings = now.findings.length ? now.findings : seen;
          if (findings.length) report(log, findings);
          else
            log.detail(
              now.error
                ? `cannot read the pods: ${now.error}`
                : 'no pod of this release is failing now; see the helm output above',
            );
          throw new ScriptError(
            `${release} was not deployed (exit ${r.exitCode}). Fix the cause above, then run \`pnpm turbo deploy\` again; \`pnpm diagnose\` shows the pods' state.`,
            EXIT.DEPLOY,
          );
        }),
      );
    }

    if (chart === LAST_CHART && !runner.dryRun) {
      const u = await appUrl(target, runner, cfg);
      if (u.url) log.ok(`app ready: ${u.url}  (${u.how})`);
      else if (u.tunnelCommand)
        log.ok(
          `app deployed; ${u.how}: run \`${[u.tunnelCommand[0], ...u.tunnelCommand[1]].join(' ')}\` and open the URL it prints`,
        );
      else log.warn(`app deployed, but its URL is unknown: ${u.how}. Try \`pnpm status\`.`);
    }
    return EXIT.OK;
  },
);

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
 * @param {import('./lib/cluster.mjs').Target} target
 * @param {import('./lib/exec.mjs').Runner} runner
 * @param {string} release
 */
function watchPods(target, runner, release) {
  /** @type {import('./lib/diagnose.mjs').Finding[]} */
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
