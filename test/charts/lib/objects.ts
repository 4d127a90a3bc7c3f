// Small accessors over rendered objects, for the cases' checks and the cross-chart contracts.
import type { K8sObject } from './helm.js';

export type Dict = Record<string, unknown>;

export function find(objects: K8sObject[], kind: string, name?: string): K8sObject & Dict {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? `/${name}` : ''} rendered (have ${describe(objects)})`);
  return found as K8sObject & Dict;
}
const describe = (objects: K8sObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ');
export const kinds = (objects: K8sObject[]) => objects.map((o) => o.kind).sort();
export const get = (v: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Dict)[k] : undefined), v);

/** The first (main) container of a Deployment or StatefulSet. */
export function mainContainer(objects: K8sObject[], kind = 'Deployment'): Dict {
  return get(find(objects, kind), 'spec', 'template', 'spec', 'containers', 0) as Dict;
}
/** `name → value` or `name → secret/key` for a container's env list. */
export function envOf(container: Dict): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of (container.env as Dict[] | undefined) ?? []) {
    const ref = get(e, 'valueFrom', 'secretKeyRef') as Dict | undefined;
    out[String(e.name)] = ref ? `secret:${ref.name}/${ref.key}` : String(e.value);
  }
  return out;
}
/** The data of the ConfigMap the workload's container reads its environment from (envFrom). */
export function configData(objects: K8sObject[]): Record<string, string> {
  const workload = objects.find((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
  const name = get(
    workload,
    'spec',
    'template',
    'spec',
    'containers',
    0,
    'envFrom',
    0,
    'configMapRef',
    'name',
  );
  return find(objects, 'ConfigMap', typeof name === 'string' ? name : undefined).data as Record<
    string,
    string
  >;
}
export const secretData = (objects: K8sObject[], name?: string) =>
  Object.fromEntries(
    Object.entries(find(objects, 'Secret', name).data as Record<string, string>).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString('utf8'),
    ]),
  );
export const servicePort = (svc: Dict) => get(svc, 'spec', 'ports', 0) as Dict;
/** The path an HTTP probe of a container asks. */
export const probePath = (c: Dict, probe: string) => get(c, probe, 'httpGet', 'path');
