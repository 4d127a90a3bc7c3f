// Policy assertions every rendered chart must satisfy, whatever the values: probes, resources,
// the full security context, pinned images, no namespace literal, standard labels, and secrets
// kept out of ConfigMaps and every other non-Secret object.
import type { ChartName } from './charts.js';
import type { K8sObject } from './helm.js';

export interface PolicyOptions {
  chart: ChartName;
  release: string;
  /** uid the pods must run as (1000 for the apps, 999 for PostgreSQL) */
  uid: number;
  /** checksum annotations the pod template must carry */
  checksums: string[];
  /** writable paths that must be emptyDir (or volume) mounts in the main container */
  writablePaths: string[];
  /** secret strings from the values: they may only appear inside Secret objects */
  secrets: string[];
}

const STANDARD_LABELS = [
  'helm.sh/chart',
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
  'app.kubernetes.io/managed-by',
  'app.kubernetes.io/part-of',
];
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIAL|DATABASE_URL)/i;

type Dict = Record<string, unknown>;
const asDict = (v: unknown): Dict => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Dict) : {});
const asList = (v: unknown): Dict[] => (Array.isArray(v) ? (v as Dict[]) : []);

interface PodSpecAt {
  where: string;
  spec: Dict;
  annotations: Record<string, string>;
  labels: Record<string, string>;
  isTest: boolean;
}

function podSpecs(objects: K8sObject[]): PodSpecAt[] {
  const out: PodSpecAt[] = [];
  for (const o of objects) {
    const where = `${o.kind}/${o.metadata.name}`;
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet') {
      const template = asDict(asDict(o.spec).template);
      const meta = asDict(template.metadata);
      out.push({
        where,
        spec: asDict(template.spec),
        annotations: asDict(meta.annotations) as Record<string, string>,
        labels: asDict(meta.labels) as Record<string, string>,
        isTest: false,
      });
    } else if (o.kind === 'Pod') {
      out.push({
        where,
        spec: asDict(o.spec),
        annotations: o.metadata.annotations ?? {},
        labels: o.metadata.labels ?? {},
        isTest: o.metadata.annotations?.['helm.sh/hook'] === 'test',
      });
    }
  }
  return out;
}

function checkContainer(c: Dict, at: string, o: PolicyOptions, probes: boolean, errors: string[]): void {
  const image = String(c.image ?? '');
  const tag = /:([^/:@]+)$/.exec(image)?.[1];
  if (!tag || tag === 'latest') errors.push(`${at}: image ${image} has no pinned tag`);
  const sc = asDict(c.securityContext);
  if (sc.allowPrivilegeEscalation !== false) errors.push(`${at}: allowPrivilegeEscalation must be false`);
  if (sc.readOnlyRootFilesystem !== true) errors.push(`${at}: readOnlyRootFilesystem must be true`);
  if (sc.runAsNonRoot !== true) errors.push(`${at}: container runAsNonRoot must be true`);
  if (sc.privileged === true) errors.push(`${at}: must not be privileged`);
  if (sc.runAsUser !== undefined && sc.runAsUser !== o.uid)
    errors.push(`${at}: container runAsUser ${sc.runAsUser}`);
  const caps = asDict(sc.capabilities);
  if (!Array.isArray(caps.drop) || !caps.drop.includes('ALL'))
    errors.push(`${at}: capabilities.drop must hold ALL`);
  if (Array.isArray(caps.add) && caps.add.length > 0)
    errors.push(`${at}: adds capabilities ${caps.add.join(',')}`);
  if (asDict(sc.seccompProfile).type !== 'RuntimeDefault')
    errors.push(`${at}: container seccompProfile must be RuntimeDefault`);
  const resources = asDict(c.resources);
  for (const kind of ['requests', 'limits']) {
    for (const r of ['cpu', 'memory']) {
      if (asDict(resources[kind])[r] === undefined) errors.push(`${at}: resources.${kind}.${r} missing`);
    }
  }
  if (probes) {
    for (const p of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      const probe = asDict(c[p]);
      if (!probe.httpGet && !probe.exec && !probe.tcpSocket && !probe.grpc)
        errors.push(`${at}: ${p} missing`);
    }
  }
  for (const e of asList(c.env)) {
    if (typeof e.value === 'string' && SECRET_NAME.test(String(e.name))) {
      errors.push(`${at}: env ${e.name} holds a literal value; secrets come from a Secret`);
    }
  }
}

/** Returns every policy violation found in one rendered release. */
export function checkPolicy(objects: K8sObject[], o: PolicyOptions): string[] {
  const errors: string[] = [];
  if (objects.length === 0) errors.push('nothing rendered');
  for (const obj of objects) {
    const id = `${obj.kind}/${obj.metadata.name}`;
    if (obj.metadata.namespace !== undefined)
      errors.push(`${id}: namespace literal ${obj.metadata.namespace}`);
    const labels = obj.metadata.labels ?? {};
    for (const l of STANDARD_LABELS) if (!labels[l]) errors.push(`${id}: label ${l} missing`);
    const fullname = o.release.includes(o.chart) ? o.release : `${o.release}-${o.chart}`;
    if (obj.metadata.name !== fullname && !obj.metadata.name.startsWith(`${fullname}-`)) {
      errors.push(`${id}: name does not come from the fullname helper (${fullname})`);
    }
    if (obj.metadata.name.length > 63) errors.push(`${id}: name longer than 63 characters`);
    if (obj.kind === 'ConfigMap') {
      for (const [k, v] of Object.entries(asDict(obj.data))) {
        if (SECRET_NAME.test(k)) errors.push(`${id}: secret-looking key ${k} in a ConfigMap`);
        for (const s of o.secrets) if (String(v).includes(s)) errors.push(`${id}: secret value in key ${k}`);
      }
    }
    if (obj.kind !== 'Secret') {
      const text = JSON.stringify(obj);
      for (const s of o.secrets)
        if (text.includes(s)) errors.push(`${id}: a secret value appears outside a Secret`);
    } else {
      if (obj.stringData !== undefined) errors.push(`${id}: use data, not stringData`);
      for (const [k, v] of Object.entries(asDict(obj.data))) {
        if (typeof v !== 'string' || Buffer.from(v, 'base64').toString('base64') !== v) {
          errors.push(`${id}: data.${k} is not base64`);
        }
      }
    }
    if (obj.kind === 'Deployment') {
      const strategy = asDict(asDict(obj.spec).strategy);
      if (strategy.type !== 'RollingUpdate' || asDict(strategy.rollingUpdate).maxUnavailable !== 0) {
        errors.push(`${id}: rolling update with maxUnavailable 0 expected`);
      }
    }
    if (obj.kind === 'Deployment' || obj.kind === 'StatefulSet') {
      const spec = asDict(obj.spec);
      const selector = asDict(asDict(spec.selector).matchLabels);
      const expected = { 'app.kubernetes.io/name': o.chart, 'app.kubernetes.io/instance': o.release };
      if (JSON.stringify(selector) !== JSON.stringify(expected)) {
        errors.push(`${id}: selector ${JSON.stringify(selector)} is not the selector labels`);
      }
      const podLabels = asDict(asDict(asDict(spec.template).metadata).labels);
      for (const [k, v] of Object.entries(selector))
        if (podLabels[k] !== v) errors.push(`${id}: pod lacks ${k}`);
    }
  }
  const workloads = podSpecs(objects);
  if (!workloads.some((w) => !w.isTest)) errors.push('no workload rendered');
  for (const w of workloads) {
    const spec = w.spec;
    if (spec.automountServiceAccountToken !== false)
      errors.push(`${w.where}: automountServiceAccountToken must be false`);
    const psc = asDict(spec.securityContext);
    if (psc.runAsNonRoot !== true) errors.push(`${w.where}: pod runAsNonRoot must be true`);
    if (psc.runAsUser !== o.uid)
      errors.push(`${w.where}: pod runAsUser must be ${o.uid}, got ${psc.runAsUser}`);
    if (asDict(psc.seccompProfile).type !== 'RuntimeDefault')
      errors.push(`${w.where}: pod seccompProfile must be RuntimeDefault`);
    const containers = asList(spec.containers);
    if (containers.length === 0) errors.push(`${w.where}: no containers`);
    for (const c of [...containers, ...asList(spec.initContainers)]) {
      checkContainer(c, `${w.where}/${c.name}`, o, !w.isTest, errors);
    }
    if (w.isTest) continue;
    for (const sum of o.checksums) {
      if (!/^[0-9a-f]{64}$/.test(w.annotations[`checksum/${sum}`] ?? ''))
        errors.push(`${w.where}: checksum/${sum} missing`);
    }
    const main = containers[0] ?? {};
    const volumes = new Map(asList(spec.volumes).map((v) => [String(v.name), v]));
    const claims = new Set(
      asList(asDict(objects.find((x) => x.kind === 'StatefulSet')?.spec).volumeClaimTemplates).map((t) =>
        String(asDict(t.metadata).name),
      ),
    );
    for (const p of o.writablePaths) {
      const mount = asList(main.volumeMounts).find((m) => m.mountPath === p);
      const volume = mount ? volumes.get(String(mount.name)) : undefined;
      if (!mount || (!volume?.emptyDir && !claims.has(String(mount.name)))) {
        errors.push(`${w.where}: writable path ${p} is not an emptyDir or claim mount`);
      }
    }
  }
  // The test hook must use the chart's own image (nothing else to pull) and not be selected as a workload pod.
  const mainImage = String(asList(workloads.find((w) => !w.isTest)?.spec.containers)[0]?.image ?? '');
  for (const w of workloads.filter((x) => x.isTest)) {
    for (const c of asList(w.spec.containers)) {
      if (c.image !== mainImage)
        errors.push(`${w.where}: test image ${c.image} is not the chart's image ${mainImage}`);
    }
    if (w.labels['app.kubernetes.io/name'] === o.chart)
      errors.push(`${w.where}: test pod carries the selector labels`);
  }
  return errors;
}
