// @ts-check
// The PostgreSQL stand-in: Debian minbase + the suite's postgresql-<major> installed with apt-get
// in a chroot, uid 999 `postgres`, an entrypoint like the official image's.
import { fs, path } from 'zx';
import { inRootfs } from '../rootfs.mjs';
import { IMAGES } from './images.mjs';
import { addUser, buildFromMinbase, must } from './rootfs.mjs';

const DOCKER_DIR = path.resolve(import.meta.dirname, '../../base-images/postgres');

/**
 * @param {import('./rootfs.mjs').BuildContext} ctx
 * @param {import('./cli.mjs').BaseImageOptions} opts
 */
export async function buildPostgres(ctx, opts) {
  const { log, runner } = ctx;
  const { standIn: name, suite, major } = IMAGES.postgres;
  const pkg = `postgresql-${major}`;
  if (opts.dryRun) {
    log.detail(
      `[dry-run] would build ${name}: ${suite} minbase + apt-get install ${pkg} in a chroot, uid 999`,
    );
    return;
  }
  const where = { name, suite, cacheDir: opts.cacheDir, mirror: opts.mirror, dockerDir: DOCKER_DIR };
  const title = `install ${pkg} into the root filesystem (apt-get in a chroot)`;
  await buildFromMinbase(ctx, { ...where, assembleTitle: title }, async ({ root }) => {
    const proc = await inRootfs(root, 'proc');
    let pgVersion = '';
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
      `deb ${opts.mirror} ${suite} main\ndeb ${opts.mirror} ${suite}-updates main\ndeb ${security} ${suite}-security main\n`,
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
    await must(ctx, 'mount', ['-t', 'proc', 'proc', proc]);
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
      await must(ctx, 'nice', ['chroot', root, 'apt-get', '-q', 'update'], { env });
      await must(ctx, 'nice', ['chroot', root, 'apt-get', ...apt, 'install', pkg], { env });
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format, not a JS template
      const format = '--showformat=${Version}';
      const q = await must(ctx, 'chroot', [root, 'dpkg-query', '-W', format, pkg], { env });
      pgVersion = q.stdout.trim();
    } finally {
      await runner.run('umount', [proc], { change: true });
    }
    log.detail(`${pkg} ${pgVersion}`);
    await fs.remove(await inRootfs(root, 'usr/sbin/policy-rc.d'));
    // a generated snakeoil key must not ship in an image
    await fs.rm(path.join(root, 'etc/ssl/private/ssl-cert-snakeoil.key'), { force: true });
    await fs.rm(path.join(root, 'etc/ssl/certs/ssl-cert-snakeoil.pem'), { force: true });
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
    return { PG_MAJOR: String(major), PG_VERSION: pgVersion, DEBIAN_SUITE: suite };
  });
}
