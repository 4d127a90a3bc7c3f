// Cases the two charts with a Deployment (todo-backend, todo-frontend) share.
import { expect } from 'vitest';
import type { RenderCase } from '../matrix.js';
import { type Dict, find, get, mainContainer, secretData } from '../objects.js';

/** replicaCount reaches the Deployment; a pinned image and pull policy its container and the test pod. */
export function replicasAndImage(repository: string, tag: string, pullPolicy: string): RenderCase {
  const image = `${repository}:${tag}`;
  return {
    name: '3 replicas',
    values: { replicaCount: 3, image: { repository, tag, pullPolicy } },
    check: (o) => {
      expect(get(find(o, 'Deployment'), 'spec', 'replicas')).toBe(3);
      expect(mainContainer(o)).toMatchObject({ image, imagePullPolicy: pullPolicy });
      expect(get(find(o, 'Pod'), 'spec', 'containers', 0, 'image')).toBe(image);
    },
  };
}

/** Registry credentials become the chart's own image pull Secret, used by every pod it renders. */
export function pullSecret(chart: string, workload: 'Deployment' | 'StatefulSet'): RenderCase {
  const password = `registry-pass-${chart}-"quoted"\\`;
  return {
    name: 'registry credentials: an image pull Secret, used by the workload and the test pod',
    values: {
      imagePullSecrets: [{ name: 'shared-pull' }],
      imageCredentials: { registry: 'registry.example:5000', username: 'ci', password },
    },
    secrets: [password],
    check: (o) => {
      const secret = find(o, 'Secret', `${chart}-registry`);
      expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
      const config = JSON.parse(secretData(o, `${chart}-registry`)['.dockerconfigjson'] ?? '{}');
      expect(config).toEqual({
        auths: {
          'registry.example:5000': {
            username: 'ci',
            password,
            auth: Buffer.from(`ci:${password}`).toString('base64'),
          },
        },
      });
      const names = [{ name: 'shared-pull' }, { name: `${chart}-registry` }];
      expect(get(find(o, workload), 'spec', 'template', 'spec', 'imagePullSecrets')).toEqual(names);
      expect(get(find(o, 'Pod'), 'spec', 'imagePullSecrets')).toEqual(names);
    },
  };
}

/** Soft spreading over nodes and zones by default (never blocks one node); a PDB that keeps n−1. */
export function spreadAndBudget(chart: string): RenderCase[] {
  const selector = { 'app.kubernetes.io/name': chart, 'app.kubernetes.io/instance': chart };
  const podSpec = (o: Parameters<RenderCase['check']>[0]) =>
    get(find(o, 'Deployment'), 'spec', 'template', 'spec') as Dict;
  return [
    {
      name: 'two replicas: spread over nodes and zones when the scheduler can, a budget of one pod',
      values: { replicaCount: 2 },
      check: (o) => {
        expect(podSpec(o).topologySpreadConstraints).toEqual(
          ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
            maxSkew: 1,
            topologyKey,
            // ScheduleAnyway: a preference, so a single node still takes every replica
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: selector },
            matchLabelKeys: ['pod-template-hash'],
          })),
        );
        expect(podSpec(o)).not.toHaveProperty('affinity');
        expect(get(find(o, 'PodDisruptionBudget'), 'spec')).toEqual({
          maxUnavailable: 1,
          selector: { matchLabels: selector },
        });
      },
    },
    {
      name: 'topologySpreadConstraints given: they replace the defaults; topologySpread off: none',
      values: {
        topologySpreadConstraints: [
          { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' },
        ],
      },
      check: (o) => {
        expect(podSpec(o).topologySpreadConstraints).toEqual([
          { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' },
        ]);
      },
    },
    {
      name: 'topologySpread.enabled false and no PDB: neither is rendered',
      values: { topologySpread: { enabled: false, maxSkew: 1 }, podDisruptionBudget: { enabled: false } },
      check: (o) => {
        expect(podSpec(o)).not.toHaveProperty('topologySpreadConstraints');
        expect(o.some((x) => x.kind === 'PodDisruptionBudget')).toBe(false);
      },
    },
  ];
}
