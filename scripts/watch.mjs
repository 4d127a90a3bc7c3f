#!/usr/bin/env node
// @ts-check
// `pnpm deploy:watch`: deploys once, then turns every save into a round: turbo rebuilds the
// images whose inputs changed (its cache skips the rest, and an image whose content hash did not
// change keeps its tag), the plan (plan.mjs, the decision `pnpm turbo deploy` makes) picks the
// releases whose inputs changed, and they are rolled out in dependency order (rollout.mjs). Each
// round says what changed, what was rebuilt and how long it took from the save to the new pods
// serving; between rounds the changed releases' logs follow. A failed round leaves the last good
// release serving and the next save tries again. Why a script of ours and not `turbo watch`:
// docs/decisions/016-inner-loop.md.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { interruption } from './lib/cleanup.mjs';
import { describeTarget, pinContext, resolveTarget } from './lib/cluster.mjs';
import { movesWholeImages } from './lib/cluster-images.mjs';
import { loadConfig } from './lib/env.mjs';
import { EXIT, ScriptError, usageError } from './lib/errors.mjs';
import { firstError } from './lib/exec.mjs';
import { roundQueue, watchTree } from './lib/file-watch.mjs';
import { formatDuration } from './lib/log.mjs';
import { runScript } from './lib/main.mjs';
import { changes, planDeploy } from './lib/plan.mjs';
import { followLogs } from './lib/pod-logs.mjs';
import { appNames, REPO_ROOT, tagFile } from './lib/repo.mjs';
import { createRollout } from './lib/rollout.mjs';

/** What is watched: the apps, the packages they share, the charts, and the root files they read. */
const WATCHED_DIRS = [...appNames().map((a) => `apps/${a}`), 'packages', 'charts'];
const WATCHED_FILES = [
  '.env',
  '.dockerignore',
  'package.json',
  'pnpm-lock.yaml',
  'pnpm-workspace.yaml',
  'turbo.json',
];

/** A round whose images did not build; the message names the failed turbo tasks. */
class BuildError extends Error {}

/** Whether a round is running, or was when Ctrl-C came (then the frame's repair advice applies). */
let inRound = false;

await runScript(
  {
    name: 'deploy:watch',
    summary: 'deploy, then on every save rebuild what changed and roll out only the releases it changes',
    usage: 'pnpm deploy:watch [--debounce <ms>] [--no-logs]',
    description: [
      `Watches ${WATCHED_DIRS.join(', ')}`,
      `and the root files ${WATCHED_FILES.join(', ')}.`,
      'A round: `turbo run image chart:deps` (cached: only images whose inputs changed are built),',
      'the deploy plan, then helm upgrade of the releases whose image, values or chart changed, in',
      'dependency order. Saves closer together than --debounce make one round; a save during a round',
      'makes the next one. A failed round (a build error, pods that never become ready) leaves the',
      'last good release serving. Ctrl-C stops watching and leaves the cluster as it is.',
    ],
    options: {
      debounce: {
        type: 'string',
        placeholder: 'ms',
        description: 'quiet time after the last save before a round starts (default: WATCH_DEBOUNCE_MS)',
      },
      logs: {
        type: 'boolean',
        default: true,
        description:
          "between rounds, follow the logs of the releases the last round changed (--no-logs: don't)",
      },
    },
    interruptNote: () =>
      inRound ? undefined : 'stopped watching; the cluster keeps running the last release of every chart.',
    examples: ['pnpm deploy:watch', 'pnpm deploy:watch --no-logs', 'HELM_TIMEOUT=1m pnpm deploy:watch'],
  },
  async ({ cli, cfg, log, runner }) => {
    const debounceMs = Number(cli.values.debounce ?? cfg.require('WATCH_DEBOUNCE_MS'));
    if (!Number.isFinite(debounceMs) || debounceMs < 0)
      throw usageError(`--debounce ${cli.values.debounce}: expected milliseconds, e.g. 300.`);
    const target = await pinContext(resolveTarget(cfg), runner);
    log.info(`deploy:watch: ${describeTarget(target)}`);
    const session = { cfg, log, runner, target, retry: 'save again', quietSkips: true };
    const rollout = createRollout(session);
    /** @type {string[]} releases whose logs follow between rounds */
    let following = [];
    /** @type {{ stop: () => Promise<void> } | null} */
    let follower = null;
    let n = 0;
    let hinted = false;

    /**
     * One round. `batch`: the files that changed and when (null: the first deploy).
     * @param {{ files: string[], firstAt: number, lastAt: number } | null} batch
     */
    async function round(batch) {
      if (batch) {
        // a file created and removed again before the round (an editor's or sed's temporary file)
        // is no change; a batch of only such files is no round
        const files = batch.files.filter((f) => fs.existsSync(path.join(REPO_ROOT, f)) || existed.has(f));
        existed = new Set(watcher.files());
        if (!files.length) return;
        batch = { ...batch, files };
      }
      inRound = true;
      const startedAt = new Date();
      const t0 = performance.now();
      const savedAt = batch?.lastAt ?? t0;
      const title = batch ? `round ${++n}` : 'first deploy';
      await follower?.stop();
      follower = null;
      log.info('');
      log.info(batch ? `── ${title}: ${describeFiles(batch.files)}` : `── ${title}`);
      /** @type {import('./lib/plan.mjs').Plan | null} */
      let plan = null;
      try {
        session.cfg = loadConfig(); // .env may have changed
        for (const s of session.cfg.secrets) log.addSecret(s);
        const before = readTags();
        const build = await log.step(
          'build (turbo run image chart:deps)',
          () => buildImages(runner),
          (b) => b.note,
        );
        const after = readTags();
        const rebuilt = appNames().filter((a) => before[a] !== after[a]);
        log.info(
          rebuilt.length
            ? `rebuilt: ${rebuilt.map((a) => `${a} ${tagOf(before[a])} → ${tagOf(after[a])}`).join(', ')}`
            : 'rebuilt: nothing (every image tag is unchanged)',
        );
        plan = await planDeploy({ cfg: session.cfg, target, runner });
        const moving = plan.entries.filter((e) => changes(e.action));
        const staying = plan.entries.filter((e) => !changes(e.action)).map((e) => e.release);
        log.info(
          `plan: ${moving.length ? moving.map((e) => `${e.release} ${e.action} (${e.reason})`).join('; ') : 'nothing to roll out'}${staying.length ? `; unchanged: ${staying.join(', ')}` : ''}`,
        );
        const applied = await rollout.applyPlan(plan);
        const servingMs = performance.now() - savedAt;
        if (moving.length) {
          const load = applied.reduce((a, x) => a + x.imagesMs, 0);
          const roll = applied.reduce((a, x) => a + x.upgradeMs, 0);
          log.ok(
            `${title}: ${moving.map((e) => e.release).join(', ')} serving ${formatDuration(servingMs)} after the ${batch ? 'save' : 'start'} (build ${formatDuration(build.ms)}, image load ${formatDuration(load)}, rollout ${formatDuration(roll)})`,
          );
          following = moving.map((e) => e.release);
          if (batch && rebuilt.length && movesWholeImages(target.loader) && !hinted) {
            hinted = true;
            log.info(
              `hint: IMAGE_LOADER=${target.loader} moves whole images (image load ${formatDuration(load)}); IMAGE_LOADER=registry with a local registry moves only the changed layers ("The fastest loop" in docs/deployment.md)`,
            );
          }
        } else {
          log.ok(
            `${title}: nothing rolled out, no image or release changed (${formatDuration(performance.now() - t0)})`,
          );
        }
      } catch (e) {
        if (interruption.signal) throw e; // inRound stays true: the frame says how to repair
        log.problem(`${title} failed: ${explain(e, plan)}`);
      }
      inRound = false;
      if (cli.values.logs && following.length && !runner.dryRun) {
        log.info(`── logs of ${following.join(', ')} (a save starts the next round; Ctrl-C stops watching)`);
        follower = await followLogs({ target, runner, log, releases: following, since: startedAt }).catch(
          (e) => {
            log.warn(`cannot follow the logs: ${e instanceof Error ? e.message : String(e)}`);
            return null;
          },
        );
      } else log.info('── watching for changes (Ctrl-C stops)');
    }

    if (runner.dryRun) {
      await round(null);
      log.info('deploy:watch: dry run: stops after the first round');
      return EXIT.OK;
    }
    /** @type {(code: number) => void} */
    let finish = () => {};
    const finished = new Promise((resolve) => {
      finish = resolve;
    });
    const queue = roundQueue({
      debounceMs,
      run: (batch) =>
        round(batch).catch((e) => {
          // interrupted inside a round: stop watching (the frame says what to do next)
          watcher.close();
          finish(e instanceof ScriptError ? e.exitCode : EXIT.ERROR);
        }),
    });
    // watching starts before the first deploy: a save made meanwhile makes the first round
    const watcher = watchTree({
      root: REPO_ROOT,
      dirs: WATCHED_DIRS,
      files: WATCHED_FILES,
      onChange: (rel) => queue.notify(rel),
    });
    /** the files that existed when the last round started */
    let existed = new Set(watcher.files());
    log.debug(`watching ${watcher.folders()} folders`);
    queue.runNow();
    const code = await finished;
    await queue.close();
    return code;
  },
);

/** @returns {Record<string, string | null>} each app's image reference now */
function readTags() {
  return Object.fromEntries(
    appNames().map((a) => {
      try {
        return [a, fs.readFileSync(tagFile(a), 'utf8').trim() || null];
      } catch {
        return [a, null];
      }
    }),
  );
}

/** The tag of an image reference. @param {string | null | undefined} ref */
function tagOf(ref) {
  return ref ? ref.slice(ref.lastIndexOf(':') + 1) : '(none)';
}

/** @param {string[]} files */
function describeFiles(files) {
  const shown = files.slice(0, 4).join(', ');
  return files.length > 4 ? `${shown} and ${files.length - 4} more` : shown;
}

/**
 * Turbo builds the images whose inputs changed (its cache answers for the others) and packages
 * the charts' dependencies; its output is shown when it fails.
 * @param {import('./lib/exec.mjs').Runner} runner
 */
async function buildImages(runner) {
  const t0 = performance.now();
  const turbo = path.join(REPO_ROOT, 'node_modules', '.bin', 'turbo');
  const args = ['run', 'image', 'chart:deps', '--output-logs=errors-only'];
  if (runner.dryRun) {
    runner.log.command(turbo, args, true);
    return { ms: 0, note: 'dry run' };
  }
  const r = await runner.run(turbo, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  const text = `${r.stdout}${r.stderr}`;
  if (!r.ok) {
    if (interruption.signal)
      throw new ScriptError(`the build was stopped by ${interruption.signal}`, EXIT.INTERRUPTED);
    runner.log.output(text.split('\n').slice(-60).join('\n'));
    const failed = /Failed:\s+(.+)/.exec(text)?.[1]?.trim();
    throw new BuildError(failed ? failed.split(/,\s*/).join(', ') : `turbo (${firstError(r)})`);
  }
  const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(text);
  return {
    ms: performance.now() - t0,
    note: cached
      ? `${Number(cached[2]) - Number(cached[1])} task(s) ran, ${cached[1]} from turbo's cache`
      : '',
  };
}

/**
 * A failed round in plain words: what failed and what keeps serving.
 * @param {unknown} e
 * @param {import('./lib/plan.mjs').Plan | null} plan
 */
function explain(e, plan) {
  if (e instanceof BuildError)
    return `${e.message} did not build (its errors are above). Nothing was deployed: the cluster keeps running what it ran before. Save a fix to try again.`;
  if (e instanceof ScriptError && e.exitCode === EXIT.DEPLOY) {
    const release = /^(\S+) was not deployed/.exec(e.message)?.[1];
    const entry = plan?.entries.find((x) => x.release === release);
    const kept =
      entry && entry.revision !== null
        ? `Helm rolled it back: revision ${entry.revision} keeps serving`
        : 'Helm removed the failed install';
    const after = plan?.entries
      .slice((plan?.entries.indexOf(/** @type {import('./lib/plan.mjs').Entry} */ (entry)) ?? 0) + 1)
      .filter((x) => changes(x.action))
      .map((x) => x.release);
    const rest = entry && after?.length ? `; ${after.join(', ')} (after it in the order) not attempted` : '';
    return `the upgrade of ${release ?? 'a release'} failed (the reason is above); ${kept}${rest}. Save a fix to try again.`;
  }
  if (e instanceof ScriptError) return `${e.message} Save again to retry.`;
  return `unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
}
