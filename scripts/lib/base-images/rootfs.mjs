// @ts-check
// Debian root filesystems for the stand-ins: a debootstrap minbase (cached as a tarball per
// suite), a fresh copy of it to work in, accounts, CA certificates, slimming, and the
// `docker import` + `docker build` that turns one into an image. Commands run without a shell
// (exec.mjs); where a shell would have expanded a wildcard, zx's glob does.
import { fs, glob, os, path } from 'zx';
import { ScriptError } from '../errors.mjs';
import { inRootfs } from '../rootfs.mjs';

/**
 * @typedef {{ runner: import('../exec.mjs').Runner, log: import('../log.mjs').Log, docker: import('../docker.mjs').DockerClient }} BuildContext
 */

/**
 * Runs a command that must succeed.
 * @param {BuildContext} ctx @param {string} bin @param {string[]} args
 * @param {import('../exec.mjs').RunOptions} [o]
 */
export async function must(ctx, bin, args, o = {}) {
  const r = await ctx.runner.run(bin, args, { change: true, ...o });
  if (!r.ok)
    throw new ScriptError(
      `${bin} ${args[0] ?? ''} failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-15).join('\n')}`,
    );
  return r;
}

/** Removes what the patterns match below `root` (links are removed, never followed). @param {string} root @param {string[]} patterns */
export async function removeMatching(root, patterns) {
  const found = await glob(patterns, { cwd: root, dot: true, onlyFiles: false, followSymbolicLinks: false });
  for (const rel of found) await fs.rm(path.join(root, rel), { recursive: true, force: true });
}

/**
 * The Debian minbase root filesystem of `suite`, as a cached tarball (debootstrap runs once).
 * @param {BuildContext} ctx
 * @param {{ suite: string, cacheDir: string, mirror: string }} o
 */
export async function minbaseTarball(ctx, o) {
  const file = path.join(o.cacheDir, `${o.suite}-minbase-${os.arch()}.tar`);
  if (await fs.pathExists(file)) {
    ctx.log.detail(`using cached ${file} (delete it to run debootstrap again)`);
    return file;
  }
  const work = await fs.mkdtemp(path.join(o.cacheDir, '.debootstrap-'));
  const root = path.join(work, 'rootfs');
  try {
    ctx.log.detail(`debootstrap --variant=minbase ${o.suite} from ${o.mirror} (about 1-3 minutes)`);
    const r = await ctx.runner.run(
      'nice',
      ['debootstrap', '--variant=minbase', '--include=ca-certificates', o.suite, root, o.mirror],
      { change: true },
    );
    if (!r.ok) {
      const logFile = path.join(root, 'debootstrap', 'debootstrap.log');
      const detail = (await fs.pathExists(logFile))
        ? (await fs.readFile(logFile, 'utf8')).split('\n').slice(-15).join('\n')
        : r.stderr;
      throw new ScriptError(
        `debootstrap failed (exit ${r.exitCode}):\n${detail}`,
        undefined,
        `check that ${o.mirror} is reachable (or pass --mirror) and that this runs as root`,
      );
    }
    await removeMatching(root, ['var/cache/apt/archives/*.deb', 'var/lib/apt/lists/*']);
    await must(ctx, 'tar', ['--numeric-owner', '--xattrs', '-C', root, '-cf', `${file}.part`, '.']);
    await fs.move(`${file}.part`, file, { overwrite: true });
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
  return file;
}

/**
 * Extracts a cached minbase into a fresh work folder.
 * @param {BuildContext} ctx @param {string} tarball @param {string} cacheDir
 */
export async function freshRoot(ctx, tarball, cacheDir) {
  const work = await fs.mkdtemp(path.join(cacheDir, '.rootfs-'));
  const root = path.join(work, 'rootfs');
  await fs.mkdirp(root);
  await must(ctx, 'tar', ['--numeric-owner', '-C', root, '-xf', tarball]);
  // keep later apt installs slim too (the same exclusions as debian:<suite>-slim)
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
      throw new ScriptError(`${rel} in the root filesystem already has ${u.name} or id ${u.uid}`);
    await fs.writeFile(file, `${[...lines, line].join('\n')}\n`);
  };
  const named = (/** @type {string} */ l) => l.startsWith(`${u.name}:`);
  await append('etc/group', `${u.name}:x:${u.gid}:`, (l) => named(l) || l.split(':')[2] === String(u.gid));
  await append('etc/gshadow', `${u.name}:!::`, named);
  await append(
    'etc/passwd',
    `${u.name}:x:${u.uid}:${u.gid}:${u.gecos}:${u.home}:${u.shell}`,
    (l) => named(l) || l.split(':')[2] === String(u.uid),
  );
  await append('etc/shadow', `${u.name}:*:19000:0:99999:7:::`, named);
}

/**
 * Copies the host's extra CA certificates into the root filesystem's system store.
 * @param {BuildContext} ctx @param {string} root
 */
export async function addHostCAs(ctx, root) {
  const srcDir = '/usr/local/share/ca-certificates';
  const files = (await fs.pathExists(srcDir))
    ? (await fs.readdir(srcDir)).filter((/** @type {string} */ f) => f.endsWith('.crt'))
    : [];
  const dest = await inRootfs(root, 'usr/local/share/ca-certificates');
  await fs.mkdirp(dest);
  for (const f of files) await fs.copy(path.join(srcDir, f), path.join(dest, f));
  await must(ctx, 'chroot', [root, 'update-ca-certificates']);
  return files;
}

/** Removes what an image does not need at run time. @param {BuildContext} ctx @param {string} root */
export async function slim(ctx, root) {
  await removeMatching(root, [
    'var/cache/apt/archives/*.deb',
    'var/cache/apt/*.bin',
    'var/lib/apt/lists/*',
    'var/log/apt',
    'var/log/dpkg.log',
    'var/cache/debconf/*-old',
    'usr/share/man',
    'usr/share/info',
    'tmp/*',
    'root/.npm',
  ]);
  // like debian:<suite>-slim: no docs (but their copyright files), man pages or translations
  const locale = path.join(root, 'usr/share/locale');
  for (const name of (await fs.pathExists(locale)) ? await fs.readdir(locale) : []) {
    if (name !== 'locale.alias') await fs.rm(path.join(locale, name), { recursive: true, force: true });
  }
  const doc = path.join(root, 'usr/share/doc');
  await ctx.runner.run('find', [doc, '-type', 'f', '!', '-name', 'copyright', '-delete'], { change: true });
  await ctx.runner.run('find', [doc, '-type', 'd', '-empty', '-delete'], { change: true });
  await fs.mkdirp(await inRootfs(root, 'usr/share/doc'));
  await fs.mkdirp(await inRootfs(root, 'usr/share/man'));
  // resolv.conf and hostname are provided by the engine at run time
  await fs.writeFile(await inRootfs(root, 'etc/resolv.conf'), '');
  await fs.writeFile(await inRootfs(root, 'etc/hostname'), '');
}

/**
 * `docker import` of a root filesystem, then `docker build` of the config layer on top.
 * @param {BuildContext} ctx
 * @param {{ root: string, work: string, name: string, dockerDir: string, buildArgs: Record<string, string> }} o
 */
export async function importAndBuild(ctx, o) {
  const rootfsTag = `${o.name.replace(/:.*/, '')}-rootfs:${o.name.replace(/.*:/, '')}`;
  const tar = path.join(o.work, 'rootfs.tar');
  await must(ctx, 'tar', ['--numeric-owner', '--xattrs', '-C', o.root, '-cf', tar, '.']);
  await must(ctx, ctx.docker.bin, [
    'import',
    '--message',
    `root filesystem of ${o.name} (scripts/base-images.mjs)`,
    tar,
    rootfsTag,
  ]);
  await ctx.docker.buildImage({
    context: o.dockerDir,
    dockerfile: path.join(o.dockerDir, 'Dockerfile'),
    tags: [o.name],
    buildArgs: { ROOTFS_IMAGE: rootfsTag, ...o.buildArgs },
    quiet: true,
  });
  // the final image keeps the imported layer; only the helper tag goes
  await ctx.docker.removeImage(rootfsTag);
}

/**
 * Builds a stand-in image from a fresh copy of the `suite` minbase: `assemble` fills the root
 * filesystem (it runs as one timed step, followed by slimming) and returns the config layer's
 * build arguments; then `docker import` + `docker build`. The work folder goes in any case.
 * @param {BuildContext} ctx
 * @param {{ name: string, suite: string, cacheDir: string, mirror: string, dockerDir: string, assembleTitle: string }} o
 * @param {(dirs: { work: string, root: string }) => Promise<Record<string, string>>} assemble
 */
export async function buildFromMinbase(ctx, o, assemble) {
  const minbase = await ctx.log.step(`Debian ${o.suite} minbase root filesystem`, () =>
    minbaseTarball(ctx, o),
  );
  const { work, root } = await freshRoot(ctx, minbase, o.cacheDir);
  try {
    const buildArgs = await ctx.log.step(o.assembleTitle, async () => {
      const args = await assemble({ work, root });
      await slim(ctx, root);
      return args;
    });
    await ctx.log.step(`docker import + build ${o.name}`, () =>
      importAndBuild(ctx, { root, work, name: o.name, dockerDir: o.dockerDir, buildArgs }),
    );
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
