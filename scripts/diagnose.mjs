#!/usr/bin/env node
// @ts-check
// For every pod of the app that is not Ready: its events, its last log lines and the probable
// cause in plain words. Exit 0 when every pod is Ready, 7 when some are not.
import { describeTarget, pinContext, resolveTarget } from './lib/cluster.mjs';
import { collect, report } from './lib/diagnose.mjs';
import { EXIT, ScriptError } from './lib/errors.mjs';
import { runScript } from './lib/main.mjs';
import { chartNames } from './lib/repo.mjs';

await runScript(
  {
    name: 'diagnose',
    summary: 'explain why pods are not Ready: events, last log lines, probable cause',
    usage: 'node scripts/diagnose.mjs [<release>] [--dry-run]',
    positionals: [{ name: 'release', description: 'only this release', choices: chartNames() }],
    examples: ['pnpm diagnose', 'pnpm diagnose todo-backend'],
  },
  async ({ cli, cfg, log, runner }) => {
    const release = cli.positionals[0];
    const target = await pinContext(resolveTarget(cfg), runner);
    log.info(`diagnose: ${describeTarget(target)}`);
    const d = await log.step(
      `pods of ${release ?? 'all releases'}`,
      () => collect(target, runner, release ? { release } : {}),
      (r) => (r.error ? 'cannot read' : `${r.podCount} pod(s), ${r.findings.length} not Ready`),
    );
    if (d.error)
      throw new ScriptError(
        `cannot read the pods (${d.error}): is the cluster running? Try \`pnpm run doctor\`.`,
        EXIT.CLUSTER,
      );
    if (runner.dryRun) return EXIT.OK;
    if (d.podCount === 0) {
      log.warn(`no pods in namespace "${target.namespace}": deploy with \`pnpm turbo deploy\``);
      return EXIT.UNHEALTHY;
    }
    if (!d.findings.length) {
      log.ok('every pod is Ready');
      return EXIT.OK;
    }
    report(log, d.findings);
    return EXIT.UNHEALTHY;
  },
);
