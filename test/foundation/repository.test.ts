import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SETTINGS } from '@todo/scripts/lib/settings.mjs';
import { GENERATED } from '@todo/scripts/lib/settings-docs.mjs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { envExampleVariables, quickStartCommands, readmeConfigVariables } from './readme.js';

// Guards the promises the repository makes to its users: the README's two commands, CI running
// exactly the README's test command, the workspace layout turbo relies on, consistent versions,
// and a configuration table that matches .env.example.

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface PackageJson {
  name: string;
  version?: string;
  private?: boolean;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  packageManager?: string;
}
const readPackage = (dir: string): PackageJson => JSON.parse(read(path.join(dir, 'package.json')));

const workspaceDirs = [
  'apps/backend',
  'apps/frontend',
  'packages/contracts',
  'packages/tsconfig',
  'charts/todo-common',
  'charts/todo-postgres',
  'charts/todo-backend',
  'charts/todo-frontend',
  'scripts',
  'test',
];

describe('README quick start', () => {
  const readme = read('README.md');
  const commands = quickStartCommands(readme);

  it('has exactly two one-line commands: deploy and test', () => {
    expect(commands).toHaveLength(2);
    expect(commands.filter((command) => command.includes('pnpm turbo deploy'))).toHaveLength(1);
    expect(commands.filter((command) => /pnpm (run )?test\b/.test(command))).toHaveLength(1);
  });

  it('CI runs the README test command verbatim', () => {
    const testCommand = commands.find((command) => /pnpm (run )?test\b/.test(command));
    expect(testCommand).toBeDefined();
    const ciLines = read('.ci/run')
      .split('\n')
      .map((line) => line.trim());
    expect(ciLines).toContain(testCommand);
  });

  it('parses a quick start section', () => {
    const sample =
      '## Quick start\n\n```sh\n# deploy\npnpm i && pnpm turbo deploy\n```\n\n```sh\npnpm test\n```\n## Next';
    expect(quickStartCommands(sample)).toEqual(['pnpm i && pnpm turbo deploy', 'pnpm test']);
    expect(quickStartCommands('# nothing here')).toEqual([]);
  });
});

describe('workspace layout', () => {
  const workspace = YAML.parse(read('pnpm-workspace.yaml')) as { packages: string[] };
  const rootPackage = readPackage('.');

  it('pins the toolchain', () => {
    expect(rootPackage.packageManager).toMatch(/^pnpm@\d+\.\d+\.\d+$/);
    expect(rootPackage.engines?.node).toMatch(/24/);
    expect(read('.nvmrc').trim()).toBe('24');
  });

  it('declares every workspace folder and each one is a package', () => {
    expect(workspace.packages).toEqual(
      expect.arrayContaining(['apps/*', 'packages/*', 'charts/*', 'scripts', 'test']),
    );
    for (const dir of workspaceDirs) {
      expect(existsSync(path.join(root, dir, 'package.json')), `${dir}/package.json`).toBe(true);
      expect(readPackage(dir).private, `${dir} is private`).toBe(true);
    }
  });

  it('gives each package the turbo tasks its role needs', () => {
    const need: Record<string, string[]> = {
      'apps/backend': ['build', 'dev', 'start', 'test', 'typecheck', 'lint', 'image', 'load'],
      'apps/frontend': ['build', 'dev', 'start', 'test', 'typecheck', 'lint', 'image', 'load'],
      '.': ['deploy', 'deploy:watch', 'logs', 'doctor'],
      'charts/todo-postgres': ['chart:deps'],
      'charts/todo-backend': ['chart:deps'],
      'charts/todo-frontend': ['chart:deps'],
      'packages/contracts': ['test', 'typecheck', 'lint'],
      scripts: ['test', 'typecheck', 'lint'],
      test: ['test', 'typecheck', 'lint'],
    };
    for (const [dir, tasks] of Object.entries(need)) {
      const scripts = readPackage(dir).scripts ?? {};
      for (const task of tasks) expect(scripts[task], `${dir} has a "${task}" script`).toBeTruthy();
    }
  });

  it('orders deploys through workspace dependencies: postgres → backend → frontend', () => {
    expect(readPackage('charts/todo-backend').devDependencies).toMatchObject({
      backend: 'workspace:*',
      'todo-postgres': 'workspace:*',
    });
    expect(readPackage('charts/todo-frontend').devDependencies).toMatchObject({
      frontend: 'workspace:*',
      'todo-backend': 'workspace:*',
    });
  });

  it('uses one version range per dependency across all workspaces', () => {
    const seen = new Map<string, Map<string, string>>();
    for (const dir of ['.', ...workspaceDirs]) {
      const pkg = readPackage(dir);
      for (const [name, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
        if (range.startsWith('workspace:')) continue;
        const ranges = seen.get(name) ?? new Map<string, string>();
        ranges.set(dir, range);
        seen.set(name, ranges);
      }
    }
    const conflicts = [...seen]
      .filter(([, ranges]) => new Set(ranges.values()).size > 1)
      .map(([name, ranges]) => `${name}: ${[...ranges].map(([dir, range]) => `${dir}=${range}`).join(', ')}`);
    expect(conflicts).toEqual([]);
  });

  it('takes every dependency that several workspaces share from the pnpm catalog', () => {
    const catalog =
      (YAML.parse(read('pnpm-workspace.yaml')) as { catalog?: Record<string, string> }).catalog ?? {};
    const users = new Map<string, string[]>();
    for (const dir of ['.', ...workspaceDirs]) {
      const pkg = readPackage(dir);
      for (const [name, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
        if (range.startsWith('workspace:')) continue;
        users.set(name, [...(users.get(name) ?? []), `${dir}=${range}`]);
      }
    }
    const notFromCatalog = [...users]
      .filter(([, uses]) => uses.length > 1 && uses.some((use) => !use.endsWith('=catalog:')))
      .map(([name, uses]) => `${name}: ${uses.join(', ')}`);
    expect(notFromCatalog).toEqual([]);
    for (const [name, uses] of users) {
      if (uses.some((use) => use.endsWith('=catalog:')))
        expect(catalog[name], `catalog entry for ${name}`).toBeTruthy();
    }
  });

  it("keeps each app chart's appVersion equal to its app's version", () => {
    for (const app of ['backend', 'frontend']) {
      const chart = YAML.parse(read(`charts/todo-${app}/Chart.yaml`)) as { appVersion: string };
      expect(String(chart.appVersion), `charts/todo-${app}`).toBe(readPackage(`apps/${app}`).version);
    }
  });
});

describe('configuration reference', () => {
  it('README configuration table lists exactly the variables of .env.example', () => {
    const documented = readmeConfigVariables(read('README.md'));
    const example = envExampleVariables(read('.env.example'));
    expect(example.length).toBeGreaterThan(5);
    expect(documented).toEqual(example);
  });

  it('parses both formats', () => {
    expect(
      envExampleVariables('# comment\nPORT=8000\n# OPENAI_API_KEY=\n# PGHOST= PGUSER= (with PORT=1)\n'),
    ).toEqual(['OPENAI_API_KEY', 'PGHOST', 'PGUSER', 'PORT']);
    expect(
      readmeConfigVariables('## Configuration\n| `PORT` | 8000 |\n| `A_B` | x |\n## Next\n| `NO` | x |'),
    ).toEqual(['A_B', 'PORT']);
  });
});

describe('settings registry (scripts/lib/settings.mjs)', () => {
  it.each(Object.keys(GENERATED))(
    '%s is what the registry generates (run `node scripts/settings-docs.mjs`)',
    (file) => {
      const current = read(file);
      expect(current).toBe(GENERATED[file as keyof typeof GENERATED](current));
    },
  );

  it('names each setting once, and the README documents exactly the registry', () => {
    const names = SETTINGS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(readmeConfigVariables(read('README.md'))).toEqual([...names].sort());
  });
});
