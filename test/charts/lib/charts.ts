// The charts under test and where they live.
import path from 'node:path';
import { REPO_ROOT } from '@todo/scripts/toolkit';

export { REPO_ROOT };
/**
 * The app charts, each an installable release, as a literal list so a chart name is a type;
 * charts.test.ts checks it against the pipeline's deploy order (the charts' package.json).
 */
export const CHARTS = ['todo-backend', 'todo-frontend', 'todo-postgres'] as const;
export type ChartName = (typeof CHARTS)[number];
export const chartDir = (chart: ChartName) => path.join(REPO_ROOT, 'charts', chart);
/** The library chart the three depend on (file://../todo-common), packaged into their charts/ folders. */
export const LIBRARY = 'todo-common';
export const LIBRARY_DIR = path.join(REPO_ROOT, 'charts', LIBRARY);
