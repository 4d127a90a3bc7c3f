// The charts under test and where they live.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The app charts, each an installable release. */
export const CHARTS = ['todo-backend', 'todo-frontend', 'todo-postgres'] as const;
export type ChartName = (typeof CHARTS)[number];
export const chartDir = (chart: ChartName) => path.join(REPO_ROOT, 'charts', chart);
/** The library chart the three depend on (file://../todo-common), packaged into their charts/ folders. */
export const LIBRARY = 'todo-common';
export const LIBRARY_DIR = path.join(REPO_ROOT, 'charts', LIBRARY);
