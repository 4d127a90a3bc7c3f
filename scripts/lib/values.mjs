// @ts-check
// The values the pipeline passes to each chart, from configuration: non-secret ones (shown on
// the helm command line) and secret ones (only ever written to a 0600 values file).
import fs from 'node:fs';
import path from 'node:path';
import { clusterImageRef, readImageTag, splitImageRef } from './cluster-images.mjs';
import { EXIT, ScriptError } from './errors.mjs';
import { chartOf } from './repo.mjs';

/** @typedef {string | number | string[]} HelmValue */

/** `a, b,,c` → ['a', 'b', 'c']. @param {string} v */
export function splitList(v) {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * `{ 'a.b': 1 }` → `{ a: { b: 1 } }`.
 * @param {Record<string, string>} flat
 * @returns {Record<string, unknown>}
 */
export function nest(flat) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = out;
    for (const p of parts.slice(0, -1)) {
      node[p] ??= {};
      node = node[p];
    }
    node[/** @type {string} */ (parts.at(-1))] = value;
  }
  return out;
}

/**
 * The origin of APP_URL, which the backend chart takes as its public URL.
 * @param {string} appUrl
 */
export function publicOrigin(appUrl) {
  let url;
  try {
    url = new URL(appUrl);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol)) {
    throw new ScriptError(
      `APP_URL="${appUrl}" is not an http(s) URL, e.g. https://todo.example.com.`,
      EXIT.USAGE,
    );
  }
  return url.origin;
}

/** Whether DATABASE_URL points at an external PostgreSQL server. @param {string | undefined} url */
export function isExternalDatabase(url) {
  return Boolean(url && /^postgres(ql)?:\/\//i.test(url));
}

/** The host part of a registry reference: `ghcr.io/org` → `ghcr.io`, `oci://localhost:5000/charts` → `localhost:5000`. @param {string} ref */
export function registryHost(ref) {
  return ref.replace(/^[a-z]+:\/\//, '').split('/')[0] ?? '';
}

/**
 * Registry credentials as the charts take them (their own image pull Secret), when REGISTRY_USERNAME
 * and REGISTRY_PASSWORD are set: for the host of IMAGE_REGISTRY, else of CHART_SOURCE.
 * @param {import('./env.mjs').Config} cfg
 * @returns {Record<string, string>}
 */
export function pullSecretValues(cfg) {
  const username = cfg.get('REGISTRY_USERNAME');
  const password = cfg.get('REGISTRY_PASSWORD');
  const where = cfg.get('IMAGE_REGISTRY') ?? cfg.get('CHART_SOURCE');
  if (!username || !password || !where) return {};
  return {
    'imageCredentials.registry': registryHost(where),
    'imageCredentials.username': username,
    'imageCredentials.password': password,
  };
}

/**
 * The CA an external database's certificate is checked against (PGSSLROOTCERT), as PEM text.
 * @param {import('./env.mjs').Config} cfg
 */
export function databaseCaCert(cfg) {
  const file = cfg.get('PGSSLROOTCERT');
  if (!file) return undefined;
  let pem;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScriptError(
      `PGSSLROOTCERT=${file} cannot be read (${/** @type {NodeJS.ErrnoException} */ (e).code}): name the CA certificate file of your database.`,
      EXIT.USAGE,
    );
  }
  if (!/-----BEGIN CERTIFICATE-----[\s\S]*-----END CERTIFICATE-----/.test(pem)) {
    throw new ScriptError(
      `PGSSLROOTCERT=${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----): name the CA certificate, not a key or a DER file.`,
      EXIT.USAGE,
    );
  }
  return pem;
}

/**
 * The user's own values file for `chart` (CHART_VALUES_DIR/<chart>.yaml), when there is one.
 * @param {string} chart
 * @param {import('./env.mjs').Config} cfg
 * @returns {string | null}
 */
export function userValuesFile(chart, cfg) {
  const dir = cfg.get('CHART_VALUES_DIR');
  if (!dir) return null;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new ScriptError(
      `CHART_VALUES_DIR=${dir} is not a folder: it holds your values files, <chart>.yaml each (e.g. todo-backend.yaml).`,
      EXIT.USAGE,
    );
  }
  for (const ext of ['yaml', 'yml']) {
    const file = path.resolve(dir, `${chart}.${ext}`);
    if (fs.existsSync(file)) return file;
  }
  return null;
}

/**
 * Whether the PostgreSQL image must be loaded into the cluster like the app images: a local-only
 * stand-in (`todo-local/…`) or LOAD_POSTGRES_IMAGE=true.
 * @param {import('./env.mjs').Config} cfg
 */
export function postgresImageToLoad(cfg) {
  const image = cfg.get('POSTGRES_IMAGE');
  if (!image) return null;
  const flag = cfg.get('LOAD_POSTGRES_IMAGE');
  if (flag === 'false' || flag === '0') return null;
  if (flag === 'true' || flag === '1' || image.startsWith('todo-local/')) return image;
  return null;
}

/**
 * @param {string} chart a deployable chart (see repo.mjs)
 * @param {import('./env.mjs').Config} cfg
 * @param {import('./cluster.mjs').Target} target
 * @param {{ root?: string, released?: boolean }} [o] `released`: a chart from CHART_SOURCE, whose
 *   app image is pinned in it (no tag file is read, no app image loaded)
 * @returns {{ set: Record<string, HelmValue>, secret: Record<string, string>, images: string[] }}
 *   secret: values for the 0600 values file (secrets, and the multi-line CA); images: local
 *   image references this release runs (to load before installing)
 */
export function chartValues(chart, cfg, target, o = {}) {
  /** @type {Record<string, HelmValue>} */
  const set = {};
  /** @type {Record<string, string>} */
  const secret = {};
  /** @type {string[]} */
  const images = [];
  const app = chartOf(chart)?.app;
  Object.assign(secret, pullSecretValues(cfg));
  if (app && !o.released) {
    const local = readImageTag(app, o.root);
    const { repository, tag } = splitImageRef(clusterImageRef(target, local));
    set['image.repository'] = repository;
    set['image.tag'] = tag;
    images.push(local);
  }
  if (chart === 'todo-postgres') {
    const image = cfg.get('POSTGRES_IMAGE');
    if (image) {
      const load = postgresImageToLoad(cfg);
      // a loaded image is pulled from IMAGE_REGISTRY with IMAGE_LOADER=registry, like the app images
      const { repository, tag } = splitImageRef(load ? clusterImageRef(target, image) : image);
      set['image.repository'] = repository;
      set['image.tag'] = tag;
      if (load) images.push(load);
    }
  }
  if (chart === 'todo-backend') {
    const db = cfg.get('DATABASE_URL');
    if (isExternalDatabase(db)) {
      if (/[?&]sslrootcert=/.test(/** @type {string} */ (db))) {
        throw new ScriptError(
          'DATABASE_URL names an sslrootcert file, which the cluster does not have: set PGSSLROOTCERT=<that file> in .env instead (the chart mounts it for the backend) and drop sslrootcert from the URL.',
          EXIT.USAGE,
        );
      }
      secret['database.url'] = /** @type {string} */ (db);
      // not a secret, but several lines of PEM: the values file carries it, not the command line
      const ca = databaseCaCert(cfg);
      if (ca) secret['database.tls.caCert'] = ca;
    }
    const auth = cfg.get('BETTER_AUTH_SECRET');
    if (auth) secret['auth.secret'] = auth;
    const key = cfg.get('OPENAI_API_KEY');
    if (key) secret['openai.apiKey'] = key;
    for (const [env, value] of /** @type {const} */ ([
      ['OPENAI_BASE_URL', 'openai.baseUrl'],
      ['OPENAI_MODEL', 'openai.model'],
      ['LOG_LEVEL', 'logLevel'],
    ])) {
      const v = cfg.get(env);
      if (v) set[value] = v;
    }
    for (const [env, value] of /** @type {const} */ ([
      ['TRUSTED_ORIGINS', 'trustedOrigins'],
      ['CORS_ORIGINS', 'corsOrigins'],
    ])) {
      const v = cfg.get(env);
      if (v) set[value] = splitList(v);
    }
    // where users reach the app: Better Auth's base URL (https: Secure cookies, a trusted origin)
    const appUrl = cfg.get('APP_URL');
    if (appUrl) set.publicUrl = publicOrigin(appUrl);
  }
  if (chart === 'todo-frontend') {
    const port = cfg.get('FRONTEND_NODE_PORT');
    if (port) {
      const n = Number(port);
      if (!Number.isInteger(n) || n < 30000 || n > 32767) {
        throw new ScriptError(
          `FRONTEND_NODE_PORT="${port}" must be a whole number from 30000 to 32767.`,
          EXIT.USAGE,
        );
      }
      set['service.nodePort'] = n;
    }
    for (const [env, value] of /** @type {const} */ ([
      ['CHAT_UI', 'chatUi'],
      ['CHATKIT_DOMAIN_KEY', 'chatkitDomainKey'],
    ])) {
      const v = cfg.get(env);
      if (v) set[value] = v;
    }
  }
  return { set, secret, images };
}
