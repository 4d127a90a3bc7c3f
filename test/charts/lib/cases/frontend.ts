// todo-frontend: what it renders with its defaults and with the values of the test matrix.
import { expect } from 'vitest';
import type { RenderSpec } from '../matrix.js';
import {
  configData,
  type Dict,
  find,
  get,
  kinds,
  mainContainer,
  probePath,
  servicePort,
} from '../objects.js';
import { pullSecret, replicasAndImage, spreadAndBudget } from './deployment.js';

export const frontend: RenderSpec = {
  chart: 'todo-frontend',
  uid: 1000,
  checksums: ['config'],
  checksumChanges: [['config', {}, { backendUrl: 'http://api:8000' }]],
  writablePaths: ['/tmp', '/app/apps/frontend/.next/cache'],
  cases: [
    {
      name: 'defaults',
      values: {},
      check: (o) => {
        expect(kinds(o)).toEqual(['ConfigMap', 'Deployment', 'Pod', 'PodDisruptionBudget', 'Service']);
        const svc = find(o, 'Service');
        expect(get(svc, 'spec', 'type')).toBe('NodePort');
        expect(servicePort(svc)).toMatchObject({ port: 3000, nodePort: 30000, targetPort: 'http' });
        // the client's own address reaches the pod (the per-address sign-in limit keys on it)
        expect(get(svc, 'spec', 'externalTrafficPolicy')).toBe('Local');
        const c = mainContainer(o);
        expect(c.image).toBe('todo-frontend:0.1.0');
        for (const p of ['startupProbe', 'livenessProbe', 'readinessProbe'])
          expect(probePath(c, p)).toBe('/api/healthz');
        expect(configData(o)).toMatchObject({
          BACKEND_URL: 'http://todo-backend:8000',
          PORT: '3000',
          HOSTNAME: '0.0.0.0',
          NODE_ENV: 'production',
          CHAT_UI: 'builtin',
          // nobody in front of the NodePort may name the client
          TRUSTED_PROXY_HOPS: '0',
        });
        expect(configData(o)).not.toHaveProperty('CHATKIT_DOMAIN_KEY');
        expect(get(find(o, 'Pod'), 'spec', 'containers', 0, 'env', 0, 'value')).toBe(
          'http://todo-frontend:3000/api/healthz',
        );
      },
    },
    {
      name: 'ChatKit UI (CHAT_UI, CHATKIT_DOMAIN_KEY in the ConfigMap)',
      values: { chatUi: 'chatkit', chatkitDomainKey: 'domain_pk_test123' },
      check: (o) => {
        expect(configData(o)).toMatchObject({
          CHAT_UI: 'chatkit',
          CHATKIT_DOMAIN_KEY: 'domain_pk_test123',
        });
      },
    },
    replicasAndImage('todo-frontend', 'abcdef012345', 'IfNotPresent'),
    pullSecret('todo-frontend', 'Deployment'),
    ...spreadAndBudget('todo-frontend'),
    {
      name: 'ingress on (Service becomes ClusterIP)',
      values: { ingress: { enabled: true, host: 'todo.test', annotations: { 'example.com/anno': 'x' } } },
      check: (o) => {
        const svc = find(o, 'Service');
        expect(get(svc, 'spec', 'type')).toBe('ClusterIP');
        expect(servicePort(svc)).not.toHaveProperty('nodePort');
        expect(get(svc, 'spec')).not.toHaveProperty('externalTrafficPolicy');
        // the ingress controller in front names the client
        expect(configData(o).TRUSTED_PROXY_HOPS).toBe('1');
        const ing = find(o, 'Ingress');
        expect(get(ing, 'spec', 'rules', 0)).toEqual({
          host: 'todo.test',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'todo-frontend', port: { name: 'http' } } },
              },
            ],
          },
        });
        expect(get(ing, 'spec')).not.toHaveProperty('ingressClassName');
      },
    },
    {
      name: 'NetworkPolicy on',
      values: { networkPolicy: { enabled: true } },
      check: (o) => {
        const np = find(o, 'NetworkPolicy');
        expect(get(np, 'spec', 'ingress')).toEqual([{ ports: [{ port: 'http', protocol: 'TCP' }] }]);
        const egress = get(np, 'spec', 'egress') as Dict[];
        expect(get(egress[1], 'to', 0, 'podSelector', 'matchLabels')).toEqual({
          'app.kubernetes.io/name': 'todo-backend',
        });
        expect(get(egress[1], 'ports')).toEqual([{ port: 8000, protocol: 'TCP' }]);
      },
    },
    {
      name: 'HPA and PDB on',
      values: {
        autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 4 },
        podDisruptionBudget: { enabled: true, maxUnavailable: '50%' },
      },
      check: (o) => {
        expect(get(find(o, 'Deployment'), 'spec')).not.toHaveProperty('replicas');
        expect(get(find(o, 'HorizontalPodAutoscaler'), 'spec', 'maxReplicas')).toBe(4);
        expect(get(find(o, 'PodDisruptionBudget'), 'spec', 'maxUnavailable')).toBe('50%');
      },
    },
    {
      name: 'custom NodePort and backend URL',
      values: { service: { nodePort: 31234 }, backendUrl: 'http://api.todo.svc.cluster.local:8000' },
      check: (o) => {
        expect(servicePort(find(o, 'Service'))).toMatchObject({ nodePort: 31234 });
        expect(configData(o).BACKEND_URL).toBe('http://api.todo.svc.cluster.local:8000');
      },
    },
    {
      name: 'trusted proxy hops and traffic policy set by hand',
      values: { trustedProxyHops: 2, service: { externalTrafficPolicy: 'Cluster' } },
      check: (o) => {
        expect(configData(o).TRUSTED_PROXY_HOPS).toBe('2');
        expect(get(find(o, 'Service'), 'spec', 'externalTrafficPolicy')).toBe('Cluster');
      },
    },
    {
      name: 'NodePort chosen by Kubernetes',
      values: { service: { nodePort: null } },
      check: (o) => {
        expect(get(find(o, 'Service'), 'spec', 'type')).toBe('NodePort');
        expect(servicePort(find(o, 'Service'))).not.toHaveProperty('nodePort');
      },
    },
  ],
};
