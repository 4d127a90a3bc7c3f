// The matrix the chart suite renders: per chart, the values it is rendered with and what each
// rendering must show (cases/<chart>.ts), and the bad values its values.schema.json must reject,
// naming the offending field (cases/bad-values.ts).

import { backend } from './cases/backend.js';
import { BAD_VALUES } from './cases/bad-values.js';
import { frontend } from './cases/frontend.js';
import { postgres } from './cases/postgres.js';
import type { ChartName } from './charts.js';
import type { K8sObject } from './helm.js';

export type Values = Record<string, unknown>;
export interface RenderCase {
  name: string;
  values: Values;
  release?: string;
  /** secret strings given in the values: they may only appear in Secret objects */
  secrets?: string[];
  check: (objects: K8sObject[]) => void;
}

export interface BadCase {
  name: string;
  values: Values;
  /** dotted path of the offending value ('' for the top level) */
  path: string;
  /** the offending key, when the error is about a key (unknown or badly named) */
  key?: string;
}

export interface ChartSpec {
  chart: ChartName;
  uid: number;
  checksums: string[];
  /** for each checksum: two sets of values that must give different checksums */
  checksumChanges: [string, Values, Values][];
  writablePaths: string[];
  cases: RenderCase[];
  bad: BadCase[];
}

/** A chart's render cases and what its pods must look like; its bad values are in bad-values.ts. */
export type RenderSpec = Omit<ChartSpec, 'bad'>;

export const SPECS: ChartSpec[] = [backend, frontend, postgres].map((spec) => ({
  ...spec,
  bad: BAD_VALUES[spec.chart],
}));
