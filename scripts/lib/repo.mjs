// @ts-check
// Where things live in the repository, and the charts the pipeline deploys. Every path the
// scripts touch is built here.
//
// The deploy order is stated once, by the chart packages' workspace dependencies:
// `charts/<chart>/package.json` depends on the charts deployed before it and on the app whose
// image it runs. Everything else (the charts a script accepts, which app's image a chart runs,
// which chart comes last, the order scripts/deploy.mjs installs them in) is read from there.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (scripts/lib/../..), overridable for tests with TODO_REPO_ROOT. */
export const REPO_ROOT = process.env.TODO_REPO_ROOT
  ? path.resolve(process.env.TODO_REPO_ROOT)
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @typedef {{ name: string, app: string | null, after: string[] }} Chart */

/**
 * The deployable charts (a `charts/<name>/` workspace package whose Chart.yaml is an application
 * chart, not a library), in deploy order: each after the deployable charts it depends on; `app` is
 * the workspace dependency that lives in `apps/` (other workspace dependencies, such as a library
 * chart, do not order anything).
 * @param {string} [root]
 * @returns {Chart[]}
 */
export function deployOrder(root = REPO_ROOT) {
  const dir = path.join(root, 'charts');
  /** @type {Map<string, { deps: string[], deploy: boolean }>} */
  const packages = new Map();
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    const deps = { ...pkg.dependencies, ...pkg.devDependencies };
    packages.set(name, {
      deploy: isApplicationChart(path.join(dir, name)),
      deps: Object.keys(deps).filter((d) => String(deps[d]).startsWith('workspace:')),
    });
  }
  /** @type {Chart[]} */
  const charts = [];
  for (const [name, p] of packages) {
    if (!p.deploy) continue;
    const apps = p.deps.filter((d) => !packages.has(d) && fs.existsSync(appDir(d, root)));
    if (apps.length > 1) throw new Error(`charts/${name}/package.json depends on more than one app: ${apps}`);
    charts.push({ name, app: apps[0] ?? null, after: p.deps.filter((d) => packages.get(d)?.deploy) });
  }
  // depth-first topological order; a cycle is a broken repository, not a user error
  /** @type {Chart[]} */
  const ordered = [];
  const state = new Map();
  /** @param {Chart} c @param {string[]} trail */
  const visit = (c, trail) => {
    if (state.get(c.name) === 'done') return;
    if (state.get(c.name) === 'visiting')
      throw new Error(`chart dependency cycle: ${[...trail, c.name].join(' → ')}`);
    state.set(c.name, 'visiting');
    for (const dep of c.after)
      visit(/** @type {Chart} */ (charts.find((x) => x.name === dep)), [...trail, c.name]);
    state.set(c.name, 'done');
    ordered.push(c);
  };
  for (const c of charts) visit(c, []);
  return ordered;
}

/**
 * Whether a chart folder holds an application chart (Chart.yaml `type: application`, or no type,
 * which Helm reads the same way); a library chart is never installed.
 * @param {string} dir
 */
function isApplicationChart(dir) {
  let text;
  try {
    text = fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8');
  } catch {
    return false;
  }
  return !/^type:\s*["']?library["']?\s*$/m.test(text);
}

/** Names of the deployable charts, in deploy order. */
export function chartNames(root = REPO_ROOT) {
  return deployOrder(root).map((c) => c.name);
}

/** The chart named `name`, or undefined. @param {string} name */
export function chartOf(name, root = REPO_ROOT) {
  return deployOrder(root).find((c) => c.name === name);
}

/** Apps that have an image: the ones a chart runs, in deploy order. */
export function appNames(root = REPO_ROOT) {
  return deployOrder(root).flatMap((c) => (c.app ? [c.app] : []));
}

/** @param {string} app */
export function appDir(app, root = REPO_ROOT) {
  return path.join(root, 'apps', app);
}

/** @param {string} app */
export function tagFile(app, root = REPO_ROOT) {
  return path.join(appDir(app, root), '.image', 'tag');
}

/** @param {string} chart */
export function chartDir(chart, root = REPO_ROOT) {
  return path.join(root, 'charts', chart);
}
