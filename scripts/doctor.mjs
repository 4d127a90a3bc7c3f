#!/usr/bin/env node
// @ts-check
// Checks the machine before a deploy: tools present with supported versions, Docker daemon up,
// the cluster running and reachable, enough resources. One line per check; one actionable line
// per problem; exit 3 when something blocks the deploy. The checks are the table below; what
// each one asks is in lib/doctor/.
import { performance } from 'node:perf_hooks';
import { describeTarget, resolveTarget } from './lib/cluster.mjs';
import { checkCluster, checkMinikube } from './lib/doctor/cluster.mjs';
import {
  checkContainerd,
  checkDocker,
  checkHelm,
  checkNode,
  checkPnpm,
  checkTool,
  TOOLS,
} from './lib/doctor/tools.mjs';
import { EXIT } from './lib/errors.mjs';
import { formatDuration } from './lib/log.mjs';
import { runScript } from './lib/main.mjs';

/** @typedef {import('./lib/doctor/tools.mjs').Check} Check @typedef {import('./lib/doctor/tools.mjs').DoctorContext} DoctorContext */

/** @param {string} name */
const tool = (name) => /** @type {import('./lib/doctor/tools.mjs').ToolSpec} */ (TOOLS[name]);

/**
 * What doctor checks, and when: every check starts at once and they run side by side.
 * @type {{ name: string, when?: (t: import('./lib/cluster.mjs').Target) => boolean, run: (ctx: DoctorContext) => Promise<Check | Check[]> | Check }[]}
 */
const CHECKS = [
  { name: 'node', run: () => checkNode() },
  { name: 'pnpm', run: (ctx) => checkPnpm(ctx, tool('pnpm')) },
  { name: 'docker', run: checkDocker },
  { name: 'helm', run: checkHelm },
  { name: 'kubectl', run: (ctx) => checkTool(ctx, tool('kubectl')) },
  {
    name: 'minikube',
    when: (t) => t.cluster === 'minikube',
    run: (ctx) => checkMinikube(ctx, tool('minikube')),
  },
  {
    name: 'kind',
    when: (t) => t.cluster === 'kind' || t.loader === 'kind',
    run: (ctx) => checkTool(ctx, tool('kind')),
  },
  { name: 'ctr', when: (t) => t.loader === 'containerd', run: checkContainerd },
  { name: 'cluster', run: checkCluster },
];

await runScript(
  {
    name: 'doctor',
    summary: 'check tools, versions, the cluster and its resources before a deploy',
    usage: 'node scripts/doctor.mjs [--dry-run]',
    examples: ['pnpm run doctor'],
  },
  async ({ cfg, log, runner }) => {
    const target = resolveTarget(cfg);
    log.info(`doctor: ${describeTarget(target)}`);
    const ctx = { runner, cfg, target };
    const t0 = performance.now();
    // each line shows when its answer arrived
    const answered = await Promise.all(
      CHECKS.filter((c) => c.when?.(target) ?? true).map(async (c) => ({
        checks: [await c.run(ctx)].flat(),
        ms: performance.now() - t0,
      })),
    );
    let blockers = 0;
    let warnings = 0;
    for (const { checks, ms } of answered) {
      for (const c of checks) {
        const line = `${c.message} (${formatDuration(ms)})`;
        if (c.ok) log.ok(line);
        else if (c.blocker) {
          blockers++;
          log.problem(line);
        } else {
          warnings++;
          log.warn(line);
        }
      }
    }
    if (blockers) {
      log.problem(
        `doctor: ${blockers} problem(s) block the deploy; fix the line(s) marked ✗ and run \`pnpm run doctor\` again.`,
      );
      return EXIT.PREREQ;
    }
    log.ok(`doctor: ready to deploy (${warnings} warning(s))`);
    return EXIT.OK;
  },
);
