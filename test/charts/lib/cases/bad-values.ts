// The bad values each chart's values.schema.json must reject, and the field the error must name
// (Helm 3 and Helm 4 word it differently; charts.test.ts accepts either).
import type { ChartName } from '../charts.js';
import type { BadCase, Values } from '../matrix.js';

/**
 * One case: what it tries, the values, the dotted path the error must name ('' for the top level),
 * and the key when the error is about a key (unknown or badly named).
 */
const bad = (name: string, values: Values, path: string, key?: string): BadCase =>
  key === undefined ? { name, values, path } : { name, values, path, key };

export const BAD_VALUES: Record<ChartName, BadCase[]> = {
  'todo-backend': [
    bad('replicaCount as a word', { replicaCount: 'two' }, 'replicaCount'),
    bad('negative replicaCount', { replicaCount: -1 }, 'replicaCount'),
    bad('public URL with a path', { publicUrl: 'https://todo.example.com/app' }, 'publicUrl'),
    bad('public URL without a scheme', { publicUrl: 'todo.example.com' }, 'publicUrl'),
    bad('negative proxy hops', { trustedProxyHops: -1 }, 'trustedProxyHops'),
    bad('port out of range', { service: { port: 70000 } }, 'service.port'),
    bad('nodePort out of range', { service: { type: 'NodePort', nodePort: 99999 } }, 'service.nodePort'),
    bad('unknown service type', { service: { type: 'Ingress' } }, 'service.type'),
    bad('unknown top-level key', { replicas: 2 }, '', 'replicas'),
    bad('unknown nested key', { image: { digest: 'sha256:abc' } }, 'image', 'digest'),
    bad('latest tag', { image: { tag: 'latest' } }, 'image.tag'),
    bad('bad pull policy', { image: { pullPolicy: 'Sometimes' } }, 'image.pullPolicy'),
    bad('negative memory limit', { resources: { limits: { memory: '-512Mi' } } }, 'resources.limits.memory'),
    bad('cpu request not a quantity', { resources: { requests: { cpu: 'lots' } } }, 'resources.requests.cpu'),
    bad('probe path without slash', { healthCheck: { readinessPath: 'ready' } }, 'healthCheck.readinessPath'),
    bad(
      'zero probe period',
      { healthCheck: { livenessProbe: { periodSeconds: 0 } } },
      'healthCheck.livenessProbe.periodSeconds',
    ),
    bad('short auth secret', { auth: { secret: 'too-short' } }, 'auth.secret'),
    bad('secret in env', { env: { BETTER_AUTH_SECRET: 'x' } }, 'env', 'BETTER_AUTH_SECRET'),
    bad(
      'writable root filesystem',
      { containerSecurityContext: { readOnlyRootFilesystem: false } },
      'containerSecurityContext.readOnlyRootFilesystem',
    ),
    bad('root allowed', { podSecurityContext: { runAsNonRoot: false } }, 'podSecurityContext.runAsNonRoot'),
    // minLength beside a $ref: Helm 3 ignored it until the schema wrapped the $ref in allOf
    bad(
      'empty PostgreSQL Secret name',
      { database: { postgres: { secretName: '' } } },
      'database.postgres.secretName',
    ),
    bad('non-postgres database url', { database: { url: 'mysql://db/todo' } }, 'database.url'),
    bad('too many HPA replicas', { autoscaling: { maxReplicas: 100 } }, 'autoscaling.maxReplicas'),
    bad('unknown log level', { logLevel: 'verbose' }, 'logLevel'),
    bad('origins as a string', { trustedOrigins: 'http://todo.local' }, 'trustedOrigins'),
    bad('invalid ingress host', { ingress: { host: 'Not A Host' } }, 'ingress.host'),
    bad('boolean as a string', { networkPolicy: { enabled: 'yes' } }, 'networkPolicy.enabled'),
    bad(
      'registry credentials without a password',
      { imageCredentials: { registry: 'ghcr.io', username: 'ci', password: '' } },
      'imageCredentials',
    ),
    bad(
      'database CA that is not PEM',
      { database: { tls: { caCert: 'not a certificate' } } },
      'database.tls.caCert',
    ),
    bad('spread skew of zero', { topologySpread: { enabled: true, maxSkew: 0 } }, 'topologySpread.maxSkew'),
  ],
  'todo-frontend': [
    bad('replicaCount as a word', { replicaCount: 'two' }, 'replicaCount'),
    bad('nodePort above the range', { service: { nodePort: 99999 } }, 'service.nodePort'),
    bad('nodePort below the range', { service: { nodePort: 80 } }, 'service.nodePort'),
    bad('unsupported service type', { service: { type: 'ExternalName' } }, 'service.type'),
    bad(
      'unknown traffic policy',
      { service: { externalTrafficPolicy: 'Nearest' } },
      'service.externalTrafficPolicy',
    ),
    bad('proxy hops as a word', { trustedProxyHops: 'one' }, 'trustedProxyHops'),
    bad('unknown top-level key', { backendURL: 'http://x:8000' }, '', 'backendURL'),
    bad('latest tag', { image: { tag: 'latest' } }, 'image.tag'),
    bad('backend URL without scheme', { backendUrl: 'todo-backend:8000' }, 'backendUrl'),
    bad('unknown chat UI', { chatUi: 'fancy' }, 'chatUi'),
    bad('ChatKit UI without a domain key', { chatUi: 'chatkit' }, 'chatkitDomainKey'),
    bad('negative memory limit', { resources: { limits: { memory: '-1Gi' } } }, 'resources.limits.memory'),
    bad('probe path without slash', { healthCheck: { path: 'api/healthz' } }, 'healthCheck.path'),
    bad('unknown path type', { ingress: { pathType: 'Regex' } }, 'ingress.pathType'),
    bad('invalid env name', { env: { '1BAD': 'x' } }, 'env', '1BAD'),
    bad(
      'PDB percentage without %',
      { podDisruptionBudget: { minAvailable: '50' } },
      'podDisruptionBudget.minAvailable',
    ),
    bad('cache size not a quantity', { cacheSizeLimit: 'lots' }, 'cacheSizeLimit'),
    bad(
      'privilege escalation allowed',
      { containerSecurityContext: { allowPrivilegeEscalation: true } },
      'containerSecurityContext.allowPrivilegeEscalation',
    ),
    bad(
      'CPU target above 100%',
      { autoscaling: { targetCPUUtilizationPercentage: 150 } },
      'autoscaling.targetCPUUtilizationPercentage',
    ),
    bad(
      'registry with a scheme',
      { imageCredentials: { registry: 'https://ghcr.io', username: 'ci', password: 'p' } },
      'imageCredentials.registry',
    ),
  ],
  'todo-postgres': [
    bad('more than one replica', { replicaCount: 3 }, 'replicaCount'),
    bad('replicaCount as a word', { replicaCount: 'one' }, 'replicaCount'),
    bad('nodePort out of range', { service: { type: 'NodePort', nodePort: 99999 } }, 'service.nodePort'),
    bad('invalid user name', { auth: { username: 'Todo-User' } }, 'auth.username'),
    bad('short password', { auth: { password: 'short' } }, 'auth.password'),
    bad('negative volume size', { persistence: { size: '-1Gi' } }, 'persistence.size'),
    bad(
      'unknown access mode',
      { persistence: { accessModes: ['ReadWriteSometimes'] } },
      'persistence.accessModes.0',
    ),
    bad('boolean as a string', { persistence: { enabled: 'true' } }, 'persistence.enabled'),
    bad('misspelt top-level key', { persistance: { size: '1Gi' } }, '', 'persistance'),
    bad('latest tag', { image: { tag: 'latest' } }, 'image.tag'),
    bad('negative memory limit', { resources: { limits: { memory: '-512Mi' } } }, 'resources.limits.memory'),
    bad('password in env', { env: { POSTGRES_PASSWORD: 'x' } }, 'env', 'POSTGRES_PASSWORD'),
    bad(
      'zero failure threshold',
      { healthCheck: { startupProbe: { failureThreshold: 0 } } },
      'healthCheck.startupProbe.failureThreshold',
    ),
    bad('root user', { podSecurityContext: { runAsUser: 0 } }, 'podSecurityContext.runAsUser'),
    bad(
      'registry credentials without a user name',
      { imageCredentials: { registry: 'ghcr.io', username: '', password: 'p' } },
      'imageCredentials',
    ),
  ],
};
