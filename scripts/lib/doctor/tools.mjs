// @ts-check
// doctor's tool checks: a table of the tools whose version a process answers (how to ask, the
// oldest supported version, where to get it), and the checks that need more than a version. Versions are compared with semver.
import semver from 'semver';
import { firstError } from '../exec.mjs';
import { helmVersion } from '../helm.mjs';

/**
 * @typedef {{ name: string, ok: boolean, blocker?: boolean, message: string }} Check
 * @typedef {{
 *   runner: import('../exec.mjs').Runner,
 *   cfg: import('../env.mjs').Config,
 *   target: import('../cluster.mjs').Target,
 * }} DoctorContext
 * @typedef {{
 *   name: string,
 *   bin: string,
 *   args: string[],
 *   min: string,
 *   install: string,
 *   version?: (stdout: string) => string,
 * }} ToolSpec
 */

/** Oldest supported versions. */
export const MIN = /** @type {const} */ ({
  node: '24.0.0',
  // BuildKit builds with cache mounts (the Dockerfiles' pnpm store)
  docker: '20.10.0',
  pnpm: '10.0.0',
  minikube: '1.33.0',
  kubectl: '1.28.0',
  kind: '0.20.0',
});

/**
 * A version somewhere in a tool's output (`v1.33.1`, `kind v0.20.0 go1.20`, Docker's `19.03.15`),
 * or null.
 * @param {string} text
 */
export function versionIn(text) {
  return semver.coerce(text, { loose: true })?.version ?? null;
}

/** @type {Record<string, ToolSpec>} */
export const TOOLS = Object.fromEntries(
  /** @type {ToolSpec[]} */ ([
    {
      name: 'pnpm',
      bin: 'pnpm',
      args: ['--version'],
      min: MIN.pnpm,
      install: 'run `corepack enable` (the version is pinned in package.json), or `npm i -g pnpm@10`',
    },
    {
      name: 'kubectl',
      bin: 'kubectl',
      args: ['version', '--client', '--output', 'json'],
      min: MIN.kubectl,
      install: 'https://kubernetes.io/docs/tasks/tools/ (or use `minikube kubectl --`)',
      version: (stdout) => {
        try {
          return JSON.parse(stdout).clientVersion?.gitVersion ?? '';
        } catch {
          return stdout;
        }
      },
    },
    {
      name: 'minikube',
      bin: 'minikube',
      args: ['version', '--short'],
      min: MIN.minikube,
      install: 'https://minikube.sigs.k8s.io/docs/start/',
    },
    {
      name: 'kind',
      bin: 'kind',
      args: ['version'],
      min: MIN.kind,
      install: 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
    },
  ]).map((t) => [t.name, t]),
);

/** A check that blocks the deploy. @param {string} name @param {string} message @returns {Check} */
const blocker = (name, message) => ({ name, ok: false, blocker: true, message });

/**
 * Asks a tool one question. The answer, or the check that ends there: passed in a dry run, a
 * blocker when the tool is missing or does not answer.
 * @param {DoctorContext} ctx
 * @param {{ name: string, bin: string, args: string[], missing: string, failed: (why: string) => string, answer?: (stdout: string) => string | null }} q
 *   `answer`: what counts as an answer (default: any output of a successful run)
 * @returns {Promise<{ check: Check } | { answer: string }>}
 */
async function ask(ctx, q) {
  const r = await ctx.runner.run(q.bin, q.args);
  if (r.dry) return { check: { name: q.name, ok: true, message: `${q.name}: (dry run)` } };
  if (r.missing) return { check: blocker(q.name, q.missing) };
  const answer = r.ok ? (q.answer ? q.answer(r.stdout) : r.stdout.trim()) : null;
  if (!answer) return { check: blocker(q.name, q.failed(firstError(r))) };
  return { answer: answer ?? '' };
}

/**
 * Runs one tool's version check.
 * @param {DoctorContext} ctx @param {ToolSpec} tool
 * @returns {Promise<Check>}
 */
export async function checkTool(ctx, tool) {
  const { name, install, min } = tool;
  const a = await ask(ctx, {
    name,
    bin: tool.bin,
    args: tool.args,
    missing: `${name} is not installed: ${install}`,
    failed: (why) => `${name} does not answer (${why}): reinstall it: ${install}`,
    answer: (stdout) => versionIn(tool.version ? tool.version(stdout) : stdout),
  });
  if ('check' in a) return a.check;
  if (semver.lt(a.answer, min))
    return blocker(name, `${name} ${a.answer} is too old: install ${min} or newer: ${install}`);
  return { name, ok: true, message: `${name} ${a.answer}` };
}

/** Node runs this script: its version needs no process. @returns {Check} */
export function checkNode(version = process.version) {
  const v = versionIn(version) ?? '0.0.0';
  if (semver.major(v) !== semver.major(MIN.node)) {
    return {
      name: 'node',
      ok: false,
      blocker: semver.lt(v, MIN.node),
      message: `Node ${version} is not Node 24 LTS: install Node 24 (e.g. \`nvm install 24\`; the repository's .nvmrc says 24)`,
    };
  }
  return { name: 'node', ok: true, message: `node ${version}` };
}

/**
 * pnpm: under pnpm (turbo tasks, `pnpm run doctor`) the user agent names its version, so no
 * process has to start.
 * @param {DoctorContext} ctx @param {ToolSpec} tool
 * @returns {Promise<Check>}
 */
export async function checkPnpm(ctx, tool) {
  const agent = versionIn(/\bpnpm\/(\d+\.\d+\.\d+)/.exec(process.env.npm_config_user_agent ?? '')?.[1] ?? '');
  if (agent && semver.gte(agent, tool.min)) return { name: 'pnpm', ok: true, message: `pnpm ${agent}` };
  return checkTool(ctx, tool);
}

/** The Docker daemon answers, with a version that builds with cache mounts. @param {DoctorContext} ctx @returns {Promise<Check>} */
export async function checkDocker(ctx) {
  const a = await ask(ctx, {
    name: 'docker',
    bin: 'docker',
    args: ['version', '--format', '{{.Server.Version}}'],
    missing:
      'docker is not installed: install Docker Desktop or Docker Engine (https://docs.docker.com/get-docker/)',
    failed: (why) =>
      `the Docker daemon is not running (${why}): start Docker Desktop, or \`sudo systemctl start docker\``,
  });
  if ('check' in a) return a.check;
  const v = versionIn(a.answer);
  if (v && semver.lt(v, MIN.docker))
    return blocker(
      'docker',
      `Docker ${a.answer} is too old: the image builds need ${MIN.docker}+ (BuildKit cache mounts); upgrade Docker`,
    );
  return { name: 'docker', ok: true, message: `docker daemon ${a.answer}` };
}

/** Helm 3.13+ or 4 (helm.mjs knows why). @param {DoctorContext} ctx @returns {Promise<Check>} */
export async function checkHelm(ctx) {
  try {
    return { name: 'helm', ok: true, message: `helm ${(await helmVersion(ctx.runner)).version}` };
  } catch (e) {
    return { name: 'helm', ok: false, blocker: true, message: e instanceof Error ? e.message : String(e) };
  }
}

/** containerd answers at the configured socket (IMAGE_LOADER=containerd). @param {DoctorContext} ctx @returns {Promise<Check>} */
export async function checkContainerd(ctx) {
  const { containerdAddress } = ctx.target;
  const a = await ask(ctx, {
    name: 'ctr',
    bin: 'ctr',
    args: ['--address', containerdAddress, 'version'],
    missing:
      'ctr is not installed: it comes with containerd (apt-get install containerd), or choose another IMAGE_LOADER',
    failed: (why) =>
      `containerd does not answer at ${containerdAddress} (${why}): set CONTAINERD_ADDRESS, and run as a user allowed to use that socket`,
    answer: () => 'answered',
  });
  return 'check' in a ? a.check : { name: 'ctr', ok: true, message: `containerd at ${containerdAddress}` };
}
