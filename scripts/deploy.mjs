#!/usr/bin/env node
// @ts-check
// The `deploy` turbo task (`//#deploy`, after turbo has built the images and packaged the chart
// dependencies): every chart in dependency order, in one process. Plans first (plan.mjs: one Helm
// query when nothing changed), then upgrades only the releases whose chart, values or image
// changed (rollout.mjs: doctor's checks before the first change, helm upgrade --install with wait,
// timeout and rollback, a diagnosis when it fails). `--plan` prints the plan and stops.
import { describeTarget, pinContext, resolveTarget } from './lib/cluster.mjs';
import { reportChecks, runChecks } from './lib/doctor/run.mjs';
import { EXIT, ScriptError, usageError } from './lib/errors.mjs';
import { runScript } from './lib/main.mjs';
import { changes, formatPlan, planDeploy, planJson } from './lib/plan.mjs';
import { chartNames } from './lib/repo.mjs';
import { createRollout } from './lib/rollout.mjs';
import { appUrl } from './lib/url.mjs';

const CHARTS = chartNames();
/** The app is ready once the last chart of the deploy order is. */
const LAST_CHART = CHARTS.at(-1);

await runScript(
  {
    name: 'deploy',
    summary:
      'install or upgrade the charts in dependency order (unchanged releases skipped; a failed one rolled back)',
    usage: [
      'node scripts/deploy.mjs [<chart>...] [--plan [--json]] [--force] [--dry-run]',
      'pnpm turbo deploy [-- <chart>... | -- --plan]',
    ],
    description: [
      `Deploys ${CHARTS.join(' → ')} (the order the chart packages' dependencies give), or only the`,
      'charts named. A release whose chart files, values and image tag are those of its deployed',
      'revision (a digest kept as a release label) is skipped without any other query. `pnpm turbo',
      'deploy` builds the images first (turbo-cached) and then runs this.',
    ],
    positionals: [{ name: 'chart', description: 'charts to deploy (default: all)', choices: CHARTS }],
    allowExtraPositionals: true,
    options: {
      plan: {
        type: 'boolean',
        description:
          'print the dependency order and what would happen to each release (install, upgrade and which inputs changed, skip), change nothing',
      },
      json: { type: 'boolean', description: 'with --plan: the plan as JSON on stdout' },
      force: { type: 'boolean', description: 'upgrade even the releases that did not change' },
    },
    // the JSON plan is the only thing on stdout
    logTo: process.argv.includes('--json') ? 'stderr' : 'stdout',
    examples: [
      'pnpm turbo deploy',
      'pnpm turbo deploy -- --plan',
      'node scripts/deploy.mjs --plan --json',
      'node scripts/deploy.mjs todo-backend --dry-run',
    ],
  },
  async ({ cli, cfg, log, runner }) => {
    for (const c of cli.positionals)
      if (!CHARTS.includes(c))
        throw usageError(`unknown chart "${c}": expected one of ${CHARTS.join(', ')}.`);
    if (cli.values.json && !cli.values.plan) throw usageError('--json goes with --plan.');
    const target = await pinContext(resolveTarget(cfg), runner);
    log.info(`deploy: ${describeTarget(target)}`);
    const charts = cli.positionals;
    const withLast = !charts.length || charts.includes(/** @type {string} */ (LAST_CHART));
    // the app's URL is a read-only question too: asked beside the plan's
    const earlyUrl =
      withLast && !cli.values.plan && !runner.dryRun ? appUrl(target, runner, cfg).catch(() => null) : null;

    let plan;
    try {
      plan = await log.step(
        'plan',
        () => planDeploy({ charts, cfg, target, runner, force: Boolean(cli.values.force) }),
        (p) => {
          const moving = p.entries.filter((e) => changes(e.action));
          return moving.length
            ? `${moving.map((e) => `${e.release} (${e.action})`).join(', ')}`
            : 'nothing to change';
        },
      );
    } catch (e) {
      // the releases cannot be read: doctor says why, in its own words
      if (e instanceof ScriptError && (e.exitCode === EXIT.CLUSTER || e.exitCode === EXIT.PREREQ)) {
        log.info('doctor:');
        reportChecks(log, await runChecks({ runner, cfg, target }));
      }
      throw e;
    }

    if (cli.values.plan) {
      if (cli.values.json) process.stdout.write(`${JSON.stringify(planJson(plan), null, 2)}\n`);
      else for (const line of formatPlan(plan)) log.info(line);
      log.info('a plan changes nothing; `pnpm turbo deploy` carries it out');
      return EXIT.OK;
    }

    await createRollout({ cfg, log, runner, target }).applyPlan(plan);

    if (withLast && !runner.dryRun) {
      const moved = plan.entries.some((e) => changes(e.action));
      const early = await earlyUrl;
      const u = moved || !early ? await appUrl(target, runner, cfg) : early;
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
