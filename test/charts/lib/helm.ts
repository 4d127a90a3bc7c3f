// Helm binaries and rendering for the chart suites. `helm3` (3.x) and `helm4` (4.x) come from
// /opt/todo-chatbot-tools (see .ci/provision.sh); HELM3_BIN / HELM4_BIN point elsewhere.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { type ChartName, chartDir } from './charts.js';

const run = promisify(execFile);

/** Under CI (or REQUIRE_HELM=1) a missing Helm fails the suite instead of skipping it. */
export const HELM_REQUIRED =
  ['1', 'true'].includes(process.env.CI ?? '') || ['1', 'true'].includes(process.env.REQUIRE_HELM ?? '');

export interface Helm {
  /** `helm3` or `helm4` */
  label: string;
  major: 3 | 4;
  bin: string;
  /** the binary answered `version` with the expected major version */
  available: boolean;
  version: string;
  problem?: string;
}

function probe(label: string, major: 3 | 4, bin: string): Helm {
  try {
    const version = execFileSync(bin, ['version', '--short'], { encoding: 'utf8', timeout: 20_000 }).trim();
    if (!version.startsWith(`v${major}.`)) {
      return {
        label,
        major,
        bin,
        available: false,
        version,
        problem: `${bin} reports ${version}, not v${major}.x`,
      };
    }
    return { label, major, bin, available: true, version };
  } catch (error) {
    return {
      label,
      major,
      bin,
      available: false,
      version: '',
      problem: `${bin} is not runnable: ${(error as Error).message}`,
    };
  }
}

export const HELMS: Helm[] = [
  probe('helm3', 3, process.env.HELM3_BIN ?? 'helm3'),
  probe('helm4', 4, process.env.HELM4_BIN ?? 'helm4'),
];

for (const h of HELMS) {
  if (!h.available) {
    const what = HELM_REQUIRED ? 'the chart suite FAILS (CI=true)' : 'its chart tests are SKIPPED';
    console.warn(
      `\n*** ${h.label} unavailable (${h.problem}); ${what}. Install it with .ci/provision.sh. ***\n`,
    );
  }
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function helm(h: Helm, args: string[], env?: Record<string, string>): Promise<HelmResult> {
  try {
    const { stdout, stderr } = await run(h.bin, args, {
      maxBuffer: 32 * 1024 * 1024,
      timeout: 60_000,
      env: env ? { ...process.env, ...env } : process.env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string; message: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? e.message,
    };
  }
}

/** Runs `fn` with the values written to a temporary JSON values file (JSON is YAML). */
async function withValuesFile<T>(
  values: Record<string, unknown>,
  fn: (file: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'chart-values-'));
  const file = path.join(dir, 'values.json');
  writeFileSync(file, JSON.stringify(values), { mode: 0o600 });
  try {
    return await fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
}

export const NAMESPACE = 'chart-test';

/** Where `helm template` renders a chart from: as the pipeline installs it by default. */
export interface RenderOptions {
  /** release name (default: the chart's name) */
  release?: string;
  /** another copy of the chart to render instead of its folder (a packaged .tgz) */
  from?: string;
}

/** `helm template` with the values in a values file. */
export async function template(
  h: Helm,
  chart: ChartName,
  values: Record<string, unknown>,
  { release = chart, from = chartDir(chart) }: RenderOptions = {},
): Promise<HelmResult> {
  return withValuesFile(values, (file) =>
    helm(h, ['template', release, from, '--namespace', NAMESPACE, '--values', file]),
  );
}

export function parseManifests(stdout: string): K8sObject[] {
  return parseAllDocuments(stdout)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`helm rendered invalid YAML: ${doc.errors[0]?.message}`);
      return doc.toJSON() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

/** Renders and parses; throws with Helm's message when rendering fails. */
export async function render(
  h: Helm,
  chart: ChartName,
  values: Record<string, unknown>,
  options: RenderOptions = {},
): Promise<K8sObject[]> {
  const r = await template(h, chart, values, options);
  if (r.code !== 0) throw new Error(`${h.label} template ${options.from ?? chart} failed:\n${r.stderr}`);
  return parseManifests(r.stdout);
}
