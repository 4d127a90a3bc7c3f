#!/usr/bin/env node
// @ts-check
// Run by `pnpm version-packages` after `changeset version`: each chart's `version` follows its
// workspace package's version, and an app chart's `appVersion` follows its app's package.json.
// Chart.yaml is edited through yaml's document API, so its comments and layout survive.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { runScript } from './lib/main.mjs';
import { appDir, chartDir, deployOrder, REPO_ROOT } from './lib/repo.mjs';

/**
 * Chart.yaml with `version` (and, for an app chart, `appVersion`, quoted like Helm writes it) set.
 * A missing `appVersion` is added right after `version`.
 * @param {string} text
 * @param {{ version: string, appVersion?: string }} want
 */
export function setChartVersions(text, want) {
  const doc = YAML.parseDocument(text);
  doc.set('version', want.version);
  if (want.appVersion !== undefined) {
    const value = doc.createNode(want.appVersion);
    value.type = 'QUOTE_DOUBLE';
    if (doc.has('appVersion')) doc.set('appVersion', value);
    else {
      const map = /** @type {import('yaml').YAMLMap} */ (doc.contents);
      const at = map.items.findIndex((p) => YAML.isScalar(p.key) && p.key.value === 'version');
      map.items.splice(at + 1, 0, doc.createPair('appVersion', value));
    }
  }
  return doc.toString({ lineWidth: 0 });
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
    for (const { name: chart, app } of deployOrder()) {
      const file = path.join(chartDir(chart), 'Chart.yaml');
      if (!fs.existsSync(file)) {
        log.warn(`${path.relative(REPO_ROOT, file)} does not exist: skipped`);
        continue;
      }
      const before = fs.readFileSync(file, 'utf8');
      const after = setChartVersions(before, {
        version: readVersion(path.join(chartDir(chart), 'package.json')),
        ...(app ? { appVersion: readVersion(path.join(appDir(app), 'package.json')) } : {}),
      });
      if (after === before) {
        log.ok(`${chart}: up to date`);
        continue;
      }
      changed++;
      if (cli.dryRun) log.info(`[dry-run] would update ${path.relative(REPO_ROOT, file)}`);
      else {
        fs.writeFileSync(file, after);
        log.ok(`${chart}: ${path.relative(REPO_ROOT, file)} updated`);
      }
    }
    log.info(`sync-chart-versions: ${changed} chart(s) ${cli.dryRun ? 'would change' : 'changed'}`);
  },
);
