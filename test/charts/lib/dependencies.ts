// Global setup of the chart suites: each app chart needs the todo-common library packaged into its
// charts/ folder (git does not hold it). Under turbo the chart:deps tasks have built it already;
// when the suite runs on its own (`pnpm --filter @todo/test test:charts`), the same package script
// builds it here when it is missing or older than the library's files, as make would.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CHARTS, type ChartName, chartDir, LIBRARY_DIR } from './charts.js';

/** What of the library goes into the package (the chart:deps task's inputs in turbo.json). */
const PACKAGED = ['Chart.yaml', '.helmignore', 'templates'];

/** Newest modification time of a file or of the files below a folder. */
function newest(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(file).reduce((latest, name) => Math.max(latest, newest(path.join(file, name))), 0);
}

/** Why the chart's packaged library is out of date, or null when it is current. */
function staleness(chart: ChartName, libraryChanged: number): string | null {
  const built = path.join(chartDir(chart), 'charts');
  const packages = existsSync(built) ? readdirSync(built).filter((f) => f.startsWith('todo-common-')) : [];
  if (packages.length === 0) return 'not built';
  const builtAt = Math.min(...packages.map((f) => statSync(path.join(built, f)).mtimeMs));
  const sources = Math.max(libraryChanged, statSync(path.join(chartDir(chart), 'Chart.yaml')).mtimeMs);
  return builtAt < sources ? 'older than the library or Chart.yaml' : null;
}

export default function setup(): void {
  const libraryChanged = Math.max(...PACKAGED.map((f) => newest(path.join(LIBRARY_DIR, f))));
  for (const chart of CHARTS) {
    const why = staleness(chart, libraryChanged);
    if (!why) continue;
    console.log(`${chart}: todo-common ${why}; pnpm run chart:deps`);
    // The package script is the one definition of how the dependency is built. A failure (no helm)
    // is left to the suites: they skip without Helm, or fail naming what is missing.
    try {
      execFileSync('pnpm', ['run', '--silent', 'chart:deps'], {
        cwd: chartDir(chart),
        stdio: ['ignore', 'ignore', 'inherit'],
        timeout: 60_000,
      });
    } catch (error) {
      console.warn(`${chart}: chart:deps failed: ${(error as Error).message}`);
    }
  }
}
