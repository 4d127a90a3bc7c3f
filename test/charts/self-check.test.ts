// The checkers must not pass vacuously: a rendered object with an unknown field, a wrong type or
// a weakened security context has to be reported.
import { describe, expect, it } from 'vitest';
import type { K8sObject } from './lib/helm.js';
import { validateObject } from './lib/k8s-schema.js';
import { checkPolicy, type PolicyOptions } from './lib/policy.js';

const labels = {
  'helm.sh/chart': 'todo-backend-0.1.0',
  'app.kubernetes.io/name': 'todo-backend',
  'app.kubernetes.io/instance': 'todo-backend',
  'app.kubernetes.io/version': '0.1.0',
  'app.kubernetes.io/managed-by': 'Helm',
  'app.kubernetes.io/part-of': 'todo-chatbot',
};
const selector = { 'app.kubernetes.io/name': 'todo-backend', 'app.kubernetes.io/instance': 'todo-backend' };
const probe = { httpGet: { path: '/health', port: 'http' } };

function deployment(): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'todo-backend', labels },
    spec: {
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels, annotations: { 'checksum/config': 'a'.repeat(64) } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'backend',
              image: 'todo-backend:0.1.0',
              securityContext: {
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { cpu: '1', memory: '256Mi' },
              },
              startupProbe: probe,
              livenessProbe: probe,
              readinessProbe: probe,
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}
const options: PolicyOptions = {
  chart: 'todo-backend',
  release: 'todo-backend',
  uid: 1000,
  checksums: ['config'],
  writablePaths: ['/tmp'],
  secrets: ['s3cr3t-value'],
};
type Dict = Record<string, Record<string, unknown>>;
const container = (d: K8sObject) =>
  ((d.spec as Dict).template as unknown as { spec: { containers: Record<string, unknown>[] } }).spec
    .containers[0] as Record<string, unknown>;

describe('checkers', () => {
  it('accept the reference Deployment', () => {
    expect(validateObject(deployment())).toEqual([]);
    expect(checkPolicy([deployment()], options)).toEqual([]);
  });

  it('report an unknown field and a wrong type', () => {
    const d = deployment();
    (d.spec as Record<string, unknown>).replica = 2;
    container(d).ports = [{ containerPort: '8000' }];
    const errors = validateObject(d).join('\n');
    expect(errors).toContain('Deployment/todo-backend.spec.replica: unknown field of V1DeploymentSpec');
    expect(errors).toMatch(/containerPort must be integer/);
  });

  it('report a weakened security context, a missing probe, :latest, a namespace and a leaked secret', () => {
    const d = deployment();
    const c = container(d);
    (c.securityContext as Record<string, unknown>).readOnlyRootFilesystem = false;
    delete c.startupProbe;
    c.image = 'todo-backend:latest';
    c.env = [{ name: 'API_TOKEN', value: 's3cr3t-value' }];
    d.metadata.namespace = 'default';
    const errors = checkPolicy([d], options).join('\n');
    for (const expected of [
      'readOnlyRootFilesystem must be true',
      'startupProbe missing',
      'has no pinned tag',
      'namespace literal default',
      'a secret value appears outside a Secret',
      'env API_TOKEN holds a literal value',
    ]) {
      expect(errors).toContain(expected);
    }
  });
});
