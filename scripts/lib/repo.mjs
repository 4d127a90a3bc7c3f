// @ts-check
// Where things live in the repository. Every path the scripts touch is built here.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (scripts/lib/../..), overridable for tests with TODO_REPO_ROOT. */
export const ROOT = process.env.TODO_REPO_ROOT
  ? path.resolve(process.env.TODO_REPO_ROOT)
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Charts the pipeline deploys, in dependency order, with the app whose image each one runs. */
export const CHARTS = /** @type {const} */ ({
  'todo-postgres': { app: null },
  'todo-backend': { app: 'backend' },
  'todo-frontend': { app: 'frontend' },
});

/** Apps that have an image. */
export const APPS = /** @type {const} */ (['backend', 'frontend']);

/** @typedef {keyof typeof CHARTS} ChartName */
/** @typedef {typeof APPS[number]} AppName */

/** @param {string} name @returns {name is ChartName} */
export function isChart(name) {
  return Object.hasOwn(CHARTS, name);
}

/** @param {string} name @returns {name is AppName} */
export function isApp(name) {
  return /** @type {readonly string[]} */ (APPS).includes(name);
}

/** @param {string} app */
export function appDir(app, root = ROOT) {
  return path.join(root, 'apps', app);
}

/** @param {string} app */
export function tagFile(app, root = ROOT) {
  return path.join(appDir(app, root), '.image', 'tag');
}

/** @param {string} chart */
export function chartDir(chart, root = ROOT) {
  return path.join(root, 'charts', chart);
}
