// @ts-check
// What `pnpm release` (scripts/release.mjs) decides before it pushes anything: the one version of
// the release, and the chart values that pin a released image.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { EXIT, ScriptError } from './errors.mjs';
import { appDir, chartDir, deployOrder, REPO_ROOT } from './repo.mjs';

/**
 * The one version of this release: every app's and chart's package.json, and every chart's
 * version and app chart's appVersion (which scripts/sync-chart-versions.mjs keeps in step).
 * @param {string} [root]
 */
export function releaseVersion(root = REPO_ROOT) {
  /** @type {Record<string, string>} */
  const seen = {};
  const json = (/** @type {string} */ f) => String(JSON.parse(fs.readFileSync(f, 'utf8')).version ?? '');
  for (const { name, app } of deployOrder(root)) {
    const chart = YAML.parse(fs.readFileSync(path.join(chartDir(name, root), 'Chart.yaml'), 'utf8'));
    seen[`charts/${name}/package.json`] = json(path.join(chartDir(name, root), 'package.json'));
    seen[`charts/${name}/Chart.yaml version`] = String(chart.version ?? '');
    if (app) {
      seen[`apps/${app}/package.json`] = json(path.join(appDir(app, root), 'package.json'));
      seen[`charts/${name}/Chart.yaml appVersion`] = String(chart.appVersion ?? '');
    }
  }
  const versions = new Set(Object.values(seen));
  if (versions.size !== 1) {
    const list = Object.entries(seen)
      .map(([k, v]) => `${k} ${v || '(none)'}`)
      .join(', ');
    throw new ScriptError(
      `the apps and charts do not share one version (${list}): run \`pnpm version-packages\`, which applies the changesets and syncs the charts.`,
      EXIT.PREREQ,
    );
  }
  return /** @type {string} */ ([...versions][0]);
}

/**
 * values.yaml with the released image pinned: repository in the registry, tag the content hash
 * (the version tag names the same image; appVersion records it). Comments survive.
 * @param {string} text
 * @param {{ repository: string, tag: string }} image
 */
export function pinImage(text, image) {
  const doc = YAML.parseDocument(text);
  doc.setIn(['image', 'repository'], image.repository);
  const tag = doc.createNode(image.tag);
  tag.type = 'QUOTE_DOUBLE';
  doc.setIn(['image', 'tag'], tag);
  return doc.toString({ lineWidth: 0 });
}
