// @ts-check
// The one registry of settings: every variable the pipeline and the apps read from `.env` / the
// environment, with its default, whether it is a secret, and one line of help. Read by:
//   - env.mjs: the defaults the scripts apply and the secrets the logger redacts;
//   - args.mjs: the "Environment" part of every script's --help (the scripts named in `scripts`);
//   - settings-docs.mjs: `.env.example`, the README's configuration table and the common subset
//     in docs/deployment.md, generated (`node scripts/settings-docs.mjs`) and checked by
//     test/foundation.
// A setting's `default` is applied by the scripts when the variable is unset; `shown` describes a
// default that belongs to someone else (a chart, an app, a tool) and is documentation only.
// `help` may use `code` and [links](…): plain-text renderers drop the marks.
// This file is a table of data, so it is longer than most.
import { IMAGES } from './base-images/images.mjs';

/**
 * @typedef {'cluster' | 'minikube' | 'deploy' | 'images' | 'backend' | 'frontend' | 'ai' | 'output'} GroupId
 * @typedef {{
 *   name: string,
 *   group: GroupId,
 *   help: string,
 *   default?: string,
 *   shown?: string,
 *   secret?: boolean,
 *   example?: string,
 *   common?: boolean,
 *   scripts?: string[],
 * }} Setting
 *   `example`: the value `.env.example` shows (default: the default, else empty).
 *   `common`: also listed in the short table of docs/deployment.md.
 *   `scripts`: the scripts (their CLI names) whose --help lists it.
 */

/** @type {Record<GroupId, { title: string, intro?: string[] }>} */
export const GROUPS = {
  cluster: { title: 'Cluster target' },
  minikube: { title: "Minikube (doctor's hints and scripts/reset.mjs)" },
  deploy: { title: 'Deploy' },
  images: { title: 'Images (scripts/image.mjs, scripts/base-images.mjs)' },
  backend: {
    title: 'Backend (apps/backend; chart todo-backend)',
    intro: [
      'PORT, HOST, DATA_DIR, SHUTDOWN_TIMEOUT_MS and BETTER_AUTH_URL matter for local runs (pnpm dev) only.',
    ],
  },
  frontend: { title: 'Frontend (apps/frontend; chart todo-frontend)' },
  ai: { title: 'AI DevOps helpers (pnpm k8s:ai, see docs/ai-devops.md)' },
  output: { title: 'Script output' },
};

/** @type {readonly Setting[]} */
export const SETTINGS = [
  // --- cluster
  {
    name: 'CLUSTER',
    scripts: ['deploy', 'load', 'status', 'diagnose', 'doctor', 'logs', 'deploy:watch'],
    group: 'cluster',
    default: 'minikube',
    help: 'deploy target: `minikube`, `kind`, or `current` (the current kubectl context, pinned at the start of a run)',
    common: true,
  },
  {
    name: 'MINIKUBE_PROFILE',
    scripts: ['load', 'reset'],
    group: 'cluster',
    default: 'minikube',
    help: 'Minikube profile to deploy to and reset',
  },
  {
    name: 'KIND_CLUSTER',
    scripts: ['load'],
    group: 'cluster',
    default: 'kind',
    help: 'kind cluster name for `CLUSTER=kind`',
  },
  {
    name: 'KUBE_CONTEXT',
    group: 'cluster',
    shown: 'implied by `CLUSTER`',
    help: 'use this kubectl context instead',
  },
  {
    name: 'NAMESPACE',
    scripts: ['deploy', 'diagnose', 'logs', 'deploy:watch'],
    group: 'cluster',
    default: 'todo',
    help: 'namespace of the three releases (created when missing)',
    common: true,
  },
  {
    name: 'IMAGE_LOADER',
    scripts: ['load', 'doctor'],
    group: 'cluster',
    shown: '`minikube` for `CLUSTER=minikube`, `kind` for `CLUSTER=kind`, `none` for `CLUSTER=current`',
    help: 'how images reach the cluster: `minikube`, `kind`, `registry`, `containerd`, `none`',
    common: true,
  },
  {
    name: 'IMAGE_REGISTRY',
    scripts: ['load', 'reset'],
    group: 'cluster',
    example: 'localhost:5000',
    help: 'registry to push to with `IMAGE_LOADER=registry` (deploys `<registry>/todo-<app>:<hash>`; on loopback, `scripts/reset.mjs` lets Minikube pull from it over HTTP: the fast inner loop, docs/deployment.md)',
  },
  {
    name: 'REGISTRY_USERNAME',
    scripts: ['load', 'deploy', 'release'],
    group: 'cluster',
    help: "user of a registry that needs one (IMAGE_REGISTRY, and CHART_SOURCE's): `docker login`/`helm registry login` with it, and the charts get an image pull Secret",
  },
  {
    name: 'REGISTRY_PASSWORD',
    scripts: ['load', 'deploy', 'release'],
    group: 'cluster',
    secret: true,
    help: 'its password or token (given to `docker login` and `helm registry login` on stdin, to the cluster as an image pull Secret)',
  },
  {
    name: 'REGISTRY_PLAIN_HTTP',
    scripts: ['deploy', 'release'],
    group: 'cluster',
    shown: '`true` for `localhost` and `127.0.0.1`, else `false`',
    help: 'Helm talks plain HTTP to the chart registry (`--plain-http`); Docker decides for images itself (it allows HTTP to 127.0.0.0/8)',
  },
  {
    name: 'REGISTRY_CA_FILE',
    scripts: ['deploy', 'release'],
    group: 'cluster',
    help: 'CA certificate file Helm trusts for a chart registry with a private CA (`--ca-file`); Docker and the nodes read theirs from their own configuration',
  },
  {
    name: 'CONTAINERD_ADDRESS',
    scripts: ['load'],
    group: 'cluster',
    default: '/run/containerd/containerd.sock',
    help: 'containerd socket for `IMAGE_LOADER=containerd`',
  },
  {
    name: 'CONTAINERD_NAMESPACE',
    group: 'cluster',
    default: 'k8s.io',
    help: 'containerd namespace for `IMAGE_LOADER=containerd`',
  },
  // --- minikube
  {
    name: 'MINIKUBE_DRIVER',
    scripts: ['reset'],
    group: 'minikube',
    shown: "Minikube's choice",
    help: 'driver for `scripts/reset.mjs` (docker, kvm2, qemu2, …)',
  },
  {
    name: 'MINIKUBE_CPUS',
    scripts: ['reset'],
    group: 'minikube',
    default: '2',
    help: 'CPUs for `scripts/reset.mjs`',
  },
  {
    name: 'MINIKUBE_MEMORY',
    scripts: ['reset'],
    group: 'minikube',
    default: '4096',
    help: 'memory (MiB) for `scripts/reset.mjs`',
  },
  {
    name: 'MINIKUBE_KUBERNETES_VERSION',
    scripts: ['reset'],
    group: 'minikube',
    shown: "Minikube's default",
    help: 'Kubernetes version for `scripts/reset.mjs`',
  },
  {
    name: 'MINIKUBE_CONTAINER_RUNTIME',
    scripts: ['reset'],
    group: 'minikube',
    shown: "Minikube's default",
    help: 'container runtime for `scripts/reset.mjs`: containerd, docker or cri-o; the none driver (Kubernetes directly on this Linux host, as root: docs/deployment.md) needs containerd',
  },
  {
    name: 'APP_READY_TIMEOUT',
    scripts: ['reset'],
    group: 'minikube',
    default: '180',
    help: 'seconds `scripts/reset.mjs` waits for the app to answer',
  },
  // --- deploy
  {
    name: 'HELM_TIMEOUT',
    scripts: ['deploy', 'deploy:watch'],
    group: 'deploy',
    default: '5m0s',
    help: 'how long one release may take to become ready before it is rolled back',
    common: true,
  },
  {
    name: 'WATCH_DEBOUNCE_MS',
    scripts: ['deploy:watch'],
    group: 'deploy',
    default: '300',
    help: '`pnpm deploy:watch`: how long after the last save a round starts (saves closer together make one round)',
  },
  {
    name: 'POSTGRES_IMAGE',
    scripts: ['deploy'],
    group: 'deploy',
    shown: `the chart's \`${IMAGES.postgres.official}\``,
    example: IMAGES.postgres.standIn,
    help: 'PostgreSQL image; `todo-local/…` stand-ins (`pnpm images:base`) are loaded into the cluster like the app images',
    common: true,
  },
  { name: 'LOAD_POSTGRES_IMAGE', group: 'deploy', help: '`true` loads any other local PostgreSQL image too' },
  {
    name: 'CHART_VALUES_DIR',
    scripts: ['deploy'],
    group: 'deploy',
    example: 'deploy/production',
    help: 'folder of your own values files, `<chart>.yaml` each (replicas, autoscaling, ingress, resources…), applied under the values the pipeline sets',
  },
  {
    name: 'CHART_SOURCE',
    scripts: ['deploy', 'load', 'release'],
    group: 'deploy',
    shown: 'this working tree',
    example: 'oci://localhost:5000/charts',
    help: 'deploy released charts from this OCI repository (`<source>/todo-<name>` at CHART_VERSION; their images are pinned, nothing is built or loaded); `pnpm release` pushes there',
  },
  {
    name: 'CHART_VERSION',
    scripts: ['deploy'],
    group: 'deploy',
    example: '0.2.0',
    help: 'the released version to deploy from CHART_SOURCE (apps and charts share one version)',
  },
  {
    name: 'FRONTEND_NODE_PORT',
    group: 'deploy',
    shown: "the chart's `30000`",
    help: 'NodePort of the web app (30000–32767)',
  },
  {
    name: 'APP_URL',
    scripts: ['status', 'deploy'],
    group: 'deploy',
    shown: 'derived',
    help: "the URL printed and waited for when you reach the app another way (ingress, tunnel); also the backend's public URL (https gives Secure cookies)",
  },
  // --- images
  {
    name: 'NODE_IMAGE',
    scripts: ['image'],
    group: 'images',
    shown: `\`${IMAGES.node.official}\`, else the local stand-in`,
    example: IMAGES.node.standIn,
    help: 'base image of both app images',
  },
  {
    name: 'IMAGE_REPOSITORY_PREFIX',
    scripts: ['image'],
    group: 'images',
    help: 'prefix of the image repositories (`todo-backend` → `<prefix>todo-backend`)',
  },
  {
    name: 'DOCKER',
    scripts: ['image', 'images:base'],
    group: 'images',
    default: 'docker',
    help: 'docker client of the image scripts',
  },
  {
    name: 'DEBIAN_MIRROR',
    scripts: ['images:base'],
    group: 'images',
    default: 'http://deb.debian.org/debian',
    help: 'Debian mirror `pnpm images:base` builds the stand-ins from',
  },
  {
    name: 'TODO_BASE_IMAGES_CACHE',
    scripts: ['images:base'],
    group: 'images',
    default: '/var/cache/todo-base-images',
    help: 'download cache of `pnpm images:base` (root filesystems, npm tarballs)',
  },
  // --- backend
  {
    name: 'DATABASE_URL',
    scripts: ['deploy'],
    group: 'backend',
    secret: true,
    shown: 'in-cluster PostgreSQL (cluster), PGlite (dev)',
    help: 'external PostgreSQL such as Neon (`postgres://user:password@host/db?sslmode=require`); `todo-postgres` is then not deployed',
    common: true,
  },
  {
    name: 'BETTER_AUTH_SECRET',
    scripts: ['deploy'],
    group: 'backend',
    secret: true,
    shown: 'generated once by the chart, kept',
    help: 'session signing secret, at least 32 characters',
    common: true,
  },
  {
    name: 'OPENAI_API_KEY',
    scripts: ['deploy', 'k8s:ai'],
    group: 'backend',
    secret: true,
    help: 'switches the assistant from the offline model to OpenAI',
    common: true,
  },
  {
    name: 'OPENAI_BASE_URL',
    group: 'backend',
    help: 'any OpenAI-compatible Chat Completions server (Ollama, vLLM)',
    common: true,
  },
  {
    name: 'OPENAI_MODEL',
    group: 'backend',
    shown: '`gpt-4.1-mini`',
    example: 'gpt-4.1-mini',
    help: 'model for OpenAI or the compatible server',
  },
  {
    name: 'TRUSTED_ORIGINS',
    group: 'backend',
    help: 'comma-separated extra origins sign-in accepts (an ingress host, a tunnel)',
    common: true,
  },
  {
    name: 'CORS_ORIGINS',
    group: 'backend',
    shown: 'closed',
    help: 'comma-separated origins allowed cross-origin (the same-origin proxy needs none)',
  },
  { name: 'LOG_LEVEL', group: 'backend', shown: '`info`', example: 'info', help: 'backend log level' },
  {
    name: 'PORT',
    group: 'backend',
    shown: '`8000` (backend), `3000` (frontend)',
    example: '8000',
    help: 'listen port, local runs',
  },
  {
    name: 'HOST',
    group: 'backend',
    shown: '`0.0.0.0`',
    example: '0.0.0.0',
    help: 'backend listen address, local runs',
  },
  {
    name: 'DATA_DIR',
    group: 'backend',
    shown: '`./.data`',
    example: './.data',
    help: "backend's dev data folder (PGlite files, dev auth secret)",
  },
  {
    name: 'SHUTDOWN_TIMEOUT_MS',
    group: 'backend',
    shown: '`10000`',
    example: '10000',
    help: 'how long the backend drains requests after SIGTERM',
  },
  {
    name: 'BETTER_AUTH_URL',
    group: 'backend',
    shown: '`http://localhost:$PORT`',
    example: 'http://localhost:8000',
    help: 'public base URL of the auth API (a trusted origin; https turns on secure cookies)',
  },
  {
    name: 'RATE_LIMIT_AUTH_PER_MINUTE',
    group: 'backend',
    shown: '`60`',
    example: '60',
    help: 'requests to /api/auth/* per client address and minute',
  },
  {
    name: 'RATE_LIMIT_CHAT_PER_MINUTE',
    group: 'backend',
    shown: '`30`',
    example: '30',
    help: 'chat turns per user and minute (/api/chat and /api/chatkit together)',
  },
  {
    name: 'SIGN_IN_FAILURES_PER_ACCOUNT',
    group: 'backend',
    shown: '`10`',
    example: '10',
    help: 'failed sign-ins per account (from any address) within 15 minutes before the account refuses attempts until the window ends',
  },
  {
    name: 'TRUSTED_PROXY_HOPS',
    group: 'backend',
    shown: '`0` (the charts: backend `1`; frontend `1` behind its ingress, else `0`)',
    example: '0',
    help: 'proxies in front whose X-Forwarded-For entries are trusted (backend and frontend): 0, clients connect directly (the frontend on a NodePort); 1, behind one proxy (the backend behind the frontend; the frontend behind an ingress controller)',
  },
  {
    name: 'REQUEST_TIMEOUT_MS',
    group: 'backend',
    shown: '`30000`',
    example: '30000',
    help: 'a request whose headers and body have not arrived by then is answered 408 and closed',
  },
  {
    name: 'AGENT_MAX_TURNS',
    group: 'backend',
    shown: '`6`',
    example: '6',
    help: 'model calls per chat turn before the assistant gives up',
  },
  {
    name: 'CHAT_MAX_MESSAGE_LENGTH',
    group: 'backend',
    shown: '`4000`',
    example: '4000',
    help: 'longest chat message, in characters',
  },
  {
    name: 'MODEL_TIMEOUT_MS',
    group: 'backend',
    shown: '`60000`',
    example: '60000',
    help: 'timeout of one remote model call',
  },
  {
    name: 'TASK_LIST_CACHE_MB',
    group: 'backend',
    shown: '`32`',
    example: '32',
    help: 'memory per backend replica for rendered task-list pages (`0`: off)',
  },
  {
    name: 'SHUTDOWN_DELAY_MS',
    group: 'backend',
    shown: '`5000` in production, else `0`',
    help: "after SIGTERM keep serving (backend and frontend; the backend's `/ready` answers 503) so the pod leaves its Service before draining",
  },
  {
    name: 'OPENAI_AGENTS_TRACING',
    group: 'backend',
    shown: 'off',
    help: '`1` exports agent traces to OpenAI (with `OPENAI_API_KEY`)',
  },
  {
    name: 'PGHOST',
    group: 'backend',
    help: 'PostgreSQL host when `DATABASE_URL` is unset (how the chart connects)',
  },
  { name: 'PGPORT', group: 'backend', shown: '`5432`', help: 'PostgreSQL port, with `PGHOST`' },
  { name: 'PGUSER', group: 'backend', help: 'PostgreSQL user, with `PGHOST`' },
  { name: 'PGDATABASE', group: 'backend', help: 'PostgreSQL database, with `PGHOST`' },
  { name: 'PGPASSWORD', group: 'backend', secret: true, help: 'PostgreSQL password, with `PGHOST`' },
  {
    name: 'PGSSLROOTCERT',
    scripts: ['deploy'],
    group: 'backend',
    help: "CA certificate file (PEM) the backend checks an external database's TLS certificate against (libpq's name; without sslmode: verify-full); `pnpm turbo deploy` gives the chart its content (`database.tls.caCert`)",
  },
  // --- frontend
  {
    name: 'BACKEND_URL',
    group: 'frontend',
    shown: '`http://localhost:8000`',
    example: 'http://localhost:8000',
    help: "where the frontend's proxy forwards `/api/*` in local runs (the chart sets `http://todo-backend:8000`), read per request",
  },
  {
    name: 'CHAT_UI',
    group: 'frontend',
    shown: '`builtin`',
    example: 'builtin',
    help: "`chatkit` switches the chat panel to OpenAI ChatKit (needs `CHATKIT_DOMAIN_KEY` and OpenAI's CDN; [docs/chatkit.md](docs/chatkit.md)), read per request",
  },
  {
    name: 'CHATKIT_DOMAIN_KEY',
    group: 'frontend',
    help: "ChatKit domain key registered with OpenAI for the app's domain (public)",
  },
  // --- ai
  {
    name: 'K8S_AI_PROVIDER',
    scripts: ['k8s:ai'],
    group: 'ai',
    shown: '`gemini`',
    help: 'LLM provider of `pnpm k8s:ai` (kubectl-ai `--llm-provider`: gemini, openai, ollama, …)',
  },
  {
    name: 'K8S_AI_MODEL',
    scripts: ['k8s:ai'],
    group: 'ai',
    shown: "kubectl-ai's default",
    help: 'model of `pnpm k8s:ai`',
  },
  {
    name: 'KUBECTL_AI',
    scripts: ['k8s:ai'],
    group: 'ai',
    default: 'kubectl-ai',
    help: 'path of the kubectl-ai binary',
  },
  {
    name: 'GEMINI_API_KEY',
    scripts: ['k8s:ai'],
    group: 'ai',
    secret: true,
    help: "key for kubectl-ai's default provider",
  },
  // --- output
  { name: 'VERBOSE', group: 'output', example: '1', help: '`1`: the scripts also print read-only queries' },
  { name: 'NO_COLOR', group: 'output', example: '1', help: "`1`: no colours in the scripts' output" },
];

/** @param {string} name @returns {Setting} */
export function setting(name) {
  const s = SETTINGS.find((x) => x.name === name);
  if (!s) throw new Error(`${name} is not in the settings registry (scripts/lib/settings.mjs)`);
  return s;
}

/** Names of the secret settings: never on a command line, never in a log. */
export const SECRET_NAMES = SETTINGS.filter((s) => s.secret).map((s) => s.name);

/** The defaults the scripts apply when a variable is unset. */
export const DEFAULTS = /** @type {Readonly<Record<string, string>>} */ (
  Object.fromEntries(SETTINGS.flatMap((s) => (s.default === undefined ? [] : [[s.name, s.default]])))
);

/** `code` and [text](link) marks dropped, for the terminal and `.env.example`. @param {string} md */
export function plain(md) {
  return md.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/`([^`]*)`/g, '$1');
}

/** The default as a reader sees it: `x` for an applied default, else the `shown` text. @param {Setting} s */
export function defaultText(s) {
  if (s.default !== undefined) return `\`${s.default}\``;
  return s.shown ?? '';
}
