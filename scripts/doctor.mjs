#!/usr/bin/env node
// @ts-check
// Checks the machine before a deploy: tools present with supported versions, Docker daemon up,
// the cluster running and reachable, enough resources. One line per check; one actionable line
// per problem; exit 3 when something blocks the deploy. The checks are the table of
// lib/doctor/run.mjs (a deploy about to change the cluster runs the same table); what each one
// asks is in lib/doctor/.
import { describeTarget, resolveTarget } from './lib/cluster.mjs';
import { reportChecks, runChecks } from './lib/doctor/run.mjs';
import { EXIT } from './lib/errors.mjs';
import { runScript } from './lib/main.mjs';

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
    const { blockers, warnings } = reportChecks(log, await runChecks({ runner, cfg, target }));
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
