// @ts-check
// Image references and getting images into the cluster: read an app's tag file, ask the
// cluster's runtime which images it already has, load only the missing ones. About 400 lines
// because each IMAGE_LOADER has its own way to list and to load, kept side by side.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withTempDir } from './cleanup.mjs';
import { EXIT, ScriptError } from './errors.mjs';
import { firstError } from './exec.mjs';
import { tagFile } from './repo.mjs';

/**
 * Splits `repo[:tag][@digest]` (the registry part may have a port: `localhost:5000/x:1`).
 * @param {string} ref
 * @returns {{ repository: string, tag: string }}
 */
export function splitImageRef(ref) {
  const at = ref.indexOf('@');
  const base = at >= 0 ? ref.slice(0, at) : ref;
  const slash = base.lastIndexOf('/');
  const colon = base.lastIndexOf(':');
  if (colon > slash) return { repository: base.slice(0, colon), tag: base.slice(colon + 1) };
  return { repository: base, tag: 'latest' };
}

/**
 * Canonical form of a reference, as container runtimes list it: `todo-backend:abc` →
 * `docker.io/library/todo-backend:abc`, `todo-local/postgres:15` → `docker.io/todo-local/postgres:15`.
 * @param {string} ref
 */
export function normalizeImageRef(ref) {
  const { repository, tag } = splitImageRef(ref.trim());
  const parts = repository.split('/');
  const first = parts[0] ?? '';
  const hasRegistry =
    parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let full = repository;
  if (!hasRegistry) full = parts.length === 1 ? `docker.io/library/${repository}` : `docker.io/${repository}`;
  return `${full}:${tag}`;
}

/**
 * Whether `ref` is among the listed images (any format: one reference per line, or JSON with
 * repoTags/RepoTags arrays, or crictl's table).
 * @param {string} listing
 * @param {string} ref
 */
export function listingHasImage(listing, ref) {
  const want = normalizeImageRef(ref);
  const { repository, tag } = splitImageRef(ref);
  /** @type {string[]} */
  const refs = [];
  const text = listing.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      const json = JSON.parse(text);
      const items = Array.isArray(json) ? json : (json.images ?? json.items ?? []);
      for (const it of items) {
        for (const t of it.repoTags ?? it.RepoTags ?? []) refs.push(String(t));
        if (typeof it.name === 'string') refs.push(it.name);
      }
    } catch {
      // fall through to the line formats
    }
  }
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (!cols[0]) continue;
    refs.push(cols[0]);
    // crictl images: IMAGE TAG IMAGE-ID SIZE
    if (cols.length >= 2 && !cols[0].includes(':', cols[0].lastIndexOf('/') + 1))
      refs.push(`${cols[0]}:${cols[1]}`);
  }
  return refs.some((r) => {
    const n = normalizeImageRef(r);
    return n === want || r === `${repository}:${tag}`;
  });
}

/**
 * Reads `apps/<app>/.image/tag` (written by scripts/image.mjs): `todo-backend:<hash>`.
 * @param {string} app
 * @param {string} [root]
 */
export function readImageTag(app, root) {
  const file = tagFile(app, root);
  let text;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch {
    throw new ScriptError(
      `no image tag for ${app} (${file} is missing): build it first with \`pnpm turbo image --filter ${app}\`, or run \`pnpm turbo deploy\`.`,
      EXIT.PREREQ,
    );
  }
  const first = text.split('\n')[0]?.trim() ?? '';
  const { tag } = splitImageRef(first);
  if (!first || tag === 'latest') {
    throw new ScriptError(
      `${file} holds "${first}": expected <repository>:<content hash>; rebuild with \`pnpm turbo image --filter ${app} --force\`.`,
      EXIT.PREREQ,
    );
  }
  return first;
}

/**
 * The reference the cluster pulls: with IMAGE_LOADER=registry, the image pushed to IMAGE_REGISTRY.
 * @param {import('./cluster.mjs').Target} target
 * @param {string} localRef
 */
export function clusterImageRef(target, localRef) {
  if (target.loader === 'registry' && target.registry) return `${target.registry}/${localRef}`;
  return localRef;
}

/**
 * Whether the loader sends every layer of an image (`docker save` into an import), the unchanged
 * base included; a registry receives only the layers it lacks, and `none` sends nothing.
 * @param {import('./cluster.mjs').Target['loader']} loader
 */
export function movesWholeImages(loader) {
  return loader !== 'registry' && loader !== 'none';
}

/**
 * Lists the images the cluster already has (command depends on the loader).
 * @param {import('./cluster.mjs').Target} t
 * @param {import('./exec.mjs').Runner} runner
 * @param {string} ref
 * @returns {Promise<boolean>} whether `ref` is present (in dry-run: false)
 */
export async function imagePresent(t, runner, ref) {
  switch (t.loader) {
    case 'none':
      return true;
    case 'minikube': {
      const r = await runner.run('minikube', ['-p', t.minikubeProfile, 'image', 'ls', '--format', 'short'], {
        timeoutMs: 120_000,
      });
      if (r.missing)
        throw new ScriptError(
          'minikube is not installed: see https://minikube.sigs.k8s.io/docs/start/',
          EXIT.PREREQ,
        );
      if (!r.ok)
        throw new ScriptError(
          `cannot list Minikube's images (${firstError(r)}): is it running? \`minikube -p ${t.minikubeProfile} status\``,
          EXIT.CLUSTER,
        );
      return listingHasImage(r.stdout, ref);
    }
    case 'kind': {
      const nodes = await kindNodes(t, runner);
      if (runner.dryRun) {
        await runner.run('docker', ['exec', '<node>', 'crictl', 'images', '-o', 'json']);
        return false;
      }
      for (const node of nodes) {
        const r = await runner.run('docker', ['exec', node, 'crictl', 'images', '-o', 'json']);
        if (!r.ok || !listingHasImage(r.stdout, ref)) return false;
      }
      return nodes.length > 0;
    }
    case 'containerd': {
      const r = await runner.run('ctr', [
        '--address',
        t.containerdAddress,
        '--namespace',
        t.containerdNamespace,
        'images',
        'ls',
        '--quiet',
      ]);
      if (r.missing)
        throw new ScriptError(
          "ctr is not installed (containerd's CLI): install containerd or use another IMAGE_LOADER.",
          EXIT.PREREQ,
        );
      if (!r.ok)
        throw new ScriptError(
          `cannot list containerd images at ${t.containerdAddress} (${firstError(r)}): check CONTAINERD_ADDRESS and that you may use the socket.`,
          EXIT.CLUSTER,
        );
      return listingHasImage(r.stdout, ref);
    }
    case 'registry': {
      const r = await runner.run('docker', ['manifest', 'inspect', '--insecure', clusterImageRef(t, ref)]);
      return r.ok && !r.dry;
    }
  }
}

/**
 * @param {import('./cluster.mjs').Target} t
 * @param {import('./exec.mjs').Runner} runner
 */
async function kindNodes(t, runner) {
  const r = await runner.run('kind', ['get', 'nodes', '--name', t.kindCluster]);
  if (r.missing)
    throw new ScriptError(
      'kind is not installed: see https://kind.sigs.k8s.io/docs/user/quick-start/',
      EXIT.PREREQ,
    );
  if (!r.ok)
    throw new ScriptError(
      `cannot list the nodes of kind cluster "${t.kindCluster}" (${firstError(r)}): create it with \`kind create cluster --name ${t.kindCluster}\`.`,
      EXIT.CLUSTER,
    );
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * `docker save` of `ref` into a private temp folder, for the duration of `load(tarball)`. The file
 * is named after the image (`todo-backend.tar`), so the copy minikube keeps on the node
 * (/var/lib/minikube/images/<file name>) is replaced by the next load of that image, not added to.
 * @param {import('./exec.mjs').Runner} runner
 * @param {string} ref
 * @param {(tarball: string) => Promise<import('./exec.mjs').RunResult>} load
 */
async function withImageTarball(runner, ref, load) {
  const save = async (/** @type {string} */ dir) => {
    const tarball = path.join(dir, `${imageFileName(ref)}.tar`);
    const r = await runner.run('docker', ['save', '--output', tarball, ref], { change: true });
    return r.ok ? load(tarball) : r;
  };
  // a dry run writes nothing, not even an empty folder
  return runner.dryRun ? save(path.join(os.tmpdir(), 'todo-image-XXXXXX')) : withTempDir('image', save);
}

/** The image's name without registry, tag or digest, as a file name: `todo-backend`. @param {string} ref */
export function imageFileName(ref) {
  const { repository } = splitImageRef(ref);
  return (repository.split('/').at(-1) ?? repository).replace(/[^A-Za-z0-9._-]/g, '-') || 'image';
}

/**
 * Loads a local Docker image into the cluster (the image must exist in the local daemon).
 * @param {import('./cluster.mjs').Target} t
 * @param {import('./exec.mjs').Runner} runner
 * @param {string} ref
 */
export async function loadImage(t, runner, ref) {
  /** @type {import('./exec.mjs').RunResult} */
  let r;
  switch (t.loader) {
    case 'none':
      return;
    case 'minikube':
      // a tarball, not the image's name: named, minikube reads the image back out of Docker through
      // its own library first, 2–3 times slower for the backend image (19.5 s against 8.3 s:
      // test/cluster/bench-loaders.sh). Not on stdin either: minikube copies stdin to a temp file
      // it never removes (build.*.tar, 265 MB per backend load).
      r = await withImageTarball(runner, ref, (tar) =>
        runner.run('minikube', ['-p', t.minikubeProfile, 'image', 'load', tar], { change: true }),
      );
      break;
    case 'kind':
      r = await runner.run('kind', ['load', 'docker-image', ref, '--name', t.kindCluster], {
        change: true,
        stream: true,
      });
      break;
    case 'containerd':
      r = await runner.pipe(
        ['docker', ['save', ref]],
        [
          'ctr',
          ['--address', t.containerdAddress, '--namespace', t.containerdNamespace, 'images', 'import', '-'],
        ],
      );
      break;
    case 'registry': {
      const remote = clusterImageRef(t, ref);
      r = await runner.run('docker', ['tag', ref, remote], { change: true });
      if (r.ok) r = await runner.run('docker', ['push', remote], { change: true, stream: true });
      break;
    }
  }
  if (!r.ok) {
    const hint = /No such image|not found|does not exist/i.test(`${r.stderr}${r.stdout}`)
      ? ' The image is not in the local Docker daemon: rebuild it with `pnpm turbo image --force`.'
      : '';
    throw new ScriptError(`loading ${ref} via ${t.loader} failed: ${firstError(r)}.${hint}`, EXIT.CLUSTER);
  }
}

/** Registries this process has logged in to (one `docker login` per run). */
const loggedIn = new Set();

/**
 * `docker login` to IMAGE_REGISTRY when it needs credentials (REGISTRY_USERNAME/REGISTRY_PASSWORD):
 * the password goes in on stdin, never on the command line. Docker keeps it in its credential
 * store, as after a `docker login` by hand.
 * @param {import('./cluster.mjs').Target} t
 * @param {import('./exec.mjs').Runner} runner
 */
export async function dockerLogin(t, runner) {
  if (t.loader !== 'registry' || !t.registry || !t.registryAuth) return;
  const host = t.registry.split('/')[0] ?? t.registry;
  if (loggedIn.has(host)) return;
  const r = await runner.run(
    'docker',
    ['login', host, '--username', t.registryAuth.username, '--password-stdin'],
    {
      change: true,
      input: t.registryAuth.password,
      timeoutMs: 120_000,
    },
  );
  if (!r.ok) {
    throw new ScriptError(
      `docker login ${host} as ${t.registryAuth.username} failed: ${firstError(r)}. Check REGISTRY_USERNAME and REGISTRY_PASSWORD.`,
      EXIT.CLUSTER,
    );
  }
  loggedIn.add(host);
}

/**
 * Loads `ref` unless the cluster already has it. Returns a note for the step line.
 * @param {import('./cluster.mjs').Target} t
 * @param {import('./exec.mjs').Runner} runner
 * @param {string} ref
 * @param {(ref: string) => Promise<void>} [ensureLocal] makes sure the local Docker engine has
 *   `ref` before it is loaded (called only when a load is needed)
 */
export async function ensureImage(t, runner, ref, ensureLocal = defaultEnsureLocal) {
  if (t.loader === 'none') return `IMAGE_LOADER=none: the cluster pulls ${ref} itself`;
  await dockerLogin(t, runner);
  if (await imagePresent(t, runner, ref))
    return t.loader === 'registry'
      ? `${clusterImageRef(t, ref)} already in the registry, not pushed`
      : `${ref} already in the cluster, not loaded`;
  await ensureLocal(ref);
  await loadImage(t, runner, ref);
  if (t.loader === 'registry')
    return runner.dryRun ? `would push ${clusterImageRef(t, ref)}` : `pushed ${clusterImageRef(t, ref)}`;
  return runner.dryRun ? `would load ${ref}` : `loaded ${ref}`;
}

/** @param {string} _ref */
async function defaultEnsureLocal(_ref) {}

/**
 * Makes sure the local engine has an app's image before it is loaded: after a turbo cache hit
 * of the `image` task the tag file can name an image this engine never built (another machine,
 * a pruned engine), so `scripts/image.mjs <app> --ensure` rebuilds it then.
 * @param {import('./exec.mjs').Runner} runner
 * @param {string} app
 * @param {string} imageScript path of scripts/image.mjs
 * @returns {(ref: string) => Promise<void>}
 */
export function ensureLocalAppImage(runner, app, imageScript) {
  return async (ref) => {
    const r = await runner.run('docker', ['image', 'inspect', '--format', '{{.Id}}', ref]);
    if (r.ok) return;
    const b = await runner.run(process.execPath, [imageScript, app, '--ensure'], {
      change: true,
      stream: true,
    });
    if (!b.ok)
      throw new ScriptError(
        `${ref} is not in the local Docker engine and rebuilding it failed: ${firstError(b)}`,
        EXIT.PREREQ,
      );
  };
}

/**
 * For images that are not built by this repository's `image` task (the PostgreSQL stand-in).
 * @param {import('./exec.mjs').Runner} runner
 * @returns {(ref: string) => Promise<void>}
 */
export function requireLocalImage(runner) {
  return async (ref) => {
    const r = await runner.run('docker', ['image', 'inspect', '--format', '{{.Id}}', ref]);
    if (r.ok) return;
    const hint = ref.startsWith('todo-local/')
      ? 'build the registry-less stand-ins with `pnpm images:base`'
      : `pull or build it first (\`docker pull ${ref}\`)`;
    throw new ScriptError(
      `${ref} is not in the local Docker engine, so it cannot be loaded into the cluster: ${hint}.`,
      EXIT.PREREQ,
    );
  };
}
