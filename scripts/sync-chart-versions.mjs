#!/usr/bin/env node
// @ts-check
// Run by `pnpm version-packages` after `changeset version`: each chart's `version` follows its
// workspace package's version, and an app chart's `appVersion` follows its app's package.json.
// Edits only those two lines, so comments and formatting of Chart.yaml survive.
import fs from 'node:fs';
import path from 'node:path';
import { runScript } from './lib/main.mjs';
import { appDir, CHARTS, chartDir, ROOT } from './lib/repo.mjs';

/**
 * Sets a top-level scalar key in a YAML document (adds it after `version:` when missing).
 * @param {string} yaml @param {string} key @param {string} value
 */
export function setTopLevel(yaml, key, value) {
  const quoted = key === 'appVersion' ? JSON.stringify(value) : value;
  const re = new RegExp(`^${key}:.*$`, 'm');
  if (re.test(yaml)) return yaml.replace(re, `${key}: ${quoted}`);
  return yaml.replace(/^version:.*$/m, (m) => `${m}\n${key}: ${quoted}`);
}

/** @param {string} file */
function readVersion(file) {
  return String(JSON.parse(fs.readFileSync(file, 'utf8')).version ?? '');
}

await runScript(
  {
    name: 'sync-chart-versions',
    summary: "set each chart's version from its package.json and appVersion from its app's package.json",
    usage: 'node scripts/sync-chart-versions.mjs [--dry-run]',
    examples: ['pnpm version-packages'],
  },
  async ({ cli, log }) => {
    let changed = 0;
    for (const [chart, { app }] of Object.entries(CHARTS)) {
      const file = path.join(chartDir(chart), 'Chart.yaml');
      if (!fs.existsSync(file)) {
        log.warn(`${path.relative(ROOT, file)} does not exist: skipped`);
        continue;
      }
      const before = fs.readFileSync(file, 'utf8');
      let after = setTopLevel(before, 'version', readVersion(path.join(chartDir(chart), 'package.json')));
      if (app) after = setTopLevel(after, 'appVersion', readVersion(path.join(appDir(app), 'package.json')));
      if (after === before) {
        log.ok(`${chart}: up to date`);
        continue;
      }
      changed++;
      if (cli.dryRun) log.info(`[dry-run] would update ${path.relative(ROOT, file)}`);
      else {
        fs.writeFileSync(file, after);
        log.ok(`${chart}: ${path.relative(ROOT, file)} updated`);
      }
    }
    log.info(`sync-chart-versions: ${changed} chart(s) ${cli.dryRun ? 'would change' : 'changed'}`);
  },
);
