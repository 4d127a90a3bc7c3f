// Chart READMEs are generated from the `## @param` comments of values.yaml by
// @bitnami/readme-generator-for-helm (`pnpm --filter <chart> readme`): fail when one drifts, when
// a value lacks its comment, or when a chart package loses its readme/deploy scripts.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { CHARTS, chartDir, LIBRARY_DIR } from './lib/charts.js';

const run = promisify(execFile);
const generator = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@bitnami/readme-generator-for-helm/package.json')),
  'bin/index.js',
);

describe('chart READMEs', () => {
  for (const chart of CHARTS) {
    it(`${chart}/README.md is up to date with values.yaml`, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'chart-readme-'));
      try {
        const readme = path.join(dir, 'README.md');
        copyFileSync(path.join(chartDir(chart), 'README.md'), readme);
        await run(process.execPath, [
          generator,
          '--values',
          path.join(chartDir(chart), 'values.yaml'),
          '--readme',
          readme,
        ]);
        expect(
          readFileSync(readme, 'utf8'),
          `README.md is stale: run \`pnpm --filter ${chart} readme\` and commit it`,
        ).toBe(readFileSync(path.join(chartDir(chart), 'README.md'), 'utf8'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it(`${chart}/Chart.yaml follows the workspace package versions`, () => {
      const chartYaml = YAML.parse(readFileSync(path.join(chartDir(chart), 'Chart.yaml'), 'utf8')) as Record<
        string,
        string
      >;
      const version = (file: string) =>
        (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
      expect(chartYaml.apiVersion).toBe('v2');
      expect(chartYaml.name).toBe(chart);
      expect(chartYaml.version).toBe(version(path.join(chartDir(chart), 'package.json')));
      const app = { 'todo-backend': 'backend', 'todo-frontend': 'frontend', 'todo-postgres': undefined }[
        chart
      ];
      if (app)
        expect(chartYaml.appVersion).toBe(
          version(path.join(chartDir(chart), '../../apps', app, 'package.json')),
        );
    });

    it(`${chart} package keeps its chart:deps and readme scripts (the root deploy task installs it)`, () => {
      const pkg = JSON.parse(readFileSync(path.join(chartDir(chart), 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      };
      expect(pkg.scripts['chart:deps']).toMatch(/helm dependency update --skip-refresh/);
      expect(pkg.scripts.deploy).toBeUndefined();
      expect(pkg.scripts.readme).toMatch(/^readme-generator --values values\.yaml --readme README\.md$/);
    });
  }

  it('todo-common: one version in its Chart.yaml, its package.json and every app chart that pins it', () => {
    const chartYaml = (dir: string) =>
      YAML.parse(readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as {
        version: string;
        type?: string;
        dependencies?: { name: string; version: string; repository: string }[];
      };
    const library = chartYaml(LIBRARY_DIR);
    expect(library.type).toBe('library');
    const pkg = JSON.parse(readFileSync(path.join(LIBRARY_DIR, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(pkg.version).toBe(library.version);
    for (const chart of CHARTS) {
      expect(chartYaml(chartDir(chart)).dependencies, `${chart}/Chart.yaml dependencies`).toEqual([
        { name: 'todo-common', version: library.version, repository: 'file://../todo-common' },
      ]);
    }
  });
});
