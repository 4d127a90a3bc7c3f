#!/usr/bin/env node
// @ts-check
/**
 * Production build of the backend: one ESM bundle for Node 24.
 *
 *   node build.mjs                   → dist/server.js (+ dist/server.js.map)
 *   node build.mjs --deploy <dir>    → also a self-contained runtime folder for the image:
 *                                      <dir>/package.json, <dir>/dist/server.js, <dir>/drizzle/,
 *                                      <dir>/node_modules/<the external packages only>
 *
 * Everything is bundled except what cannot be:
 * - `@electric-sql/pglite`: loads its WASM and data files relative to its own package
 *   (`new URL('./pglite.wasm', import.meta.url)`), so it stays a real package in node_modules;
 * - `pg-native`: pg's optional native binding (never installed; `pg` only requires it when
 *   `pg.native` is read).
 * The API reference page (@scalar/fastify-api-reference) embeds its assets as strings, so it is
 * bundled like everything else.
 *
 * Migrations: `src/db/migrate.ts` finds `drizzle/` two levels above its own file (right for
 * `src/db/` under tsx). In the bundle that file's code lives in `dist/server.js`, one level
 * below the package, so the build rewrites that one relative path (and fails if it cannot find
 * it) — the runtime layout stays `dist/` next to `drizzle/`, locally and in the image.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

/** Packages kept out of the bundle; the ones installed at run time are copied by --deploy. */
export const EXTERNAL = ['@electric-sql/pglite', 'pg-native'];
/** Of those, the ones the runtime needs in node_modules (pg-native is optional and absent). */
const RUNTIME_PACKAGES = ['@electric-sql/pglite'];

/** @type {esbuild.Plugin} */
const migrationsFolderPlugin = {
  name: 'migrations-folder',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]db[\\/]migrate\.ts$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const from = "'../../drizzle'";
      if (!source.includes(from))
        return {
          errors: [
            {
              text: `expected ${from} in ${path.relative(ROOT, args.path)} (the migrations folder relative to src/db/); update build.mjs`,
            },
          ],
        };
      return { contents: source.replace(from, "'../drizzle'"), loader: 'ts' };
    });
  },
};

/** @param {{ outdir: string, sourcemap: boolean }} o */
export async function bundle(o) {
  fs.rmSync(o.outdir, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { server: 'src/server.ts' },
    outdir: o.outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    tsconfig: 'tsconfig.json',
    external: EXTERNAL,
    // CommonJS dependencies (pg, pino, fastify's plugins …) call require() for Node built-ins;
    // an ESM bundle has no require of its own
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    sourcemap: o.sourcemap ? 'linked' : false,
    minifySyntax: true,
    minifyWhitespace: true,
    keepNames: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins: [migrationsFolderPlugin],
  });
  return result;
}

/**
 * Copies a package (following pnpm's links) without what no runtime reads.
 * @param {string} from
 * @param {string} to
 */
function copyPackage(from, to) {
  fs.cpSync(fs.realpathSync(from), to, {
    recursive: true,
    dereference: true,
    filter: (src) =>
      !/(\.map|\.d\.[cm]?ts|\.tsbuildinfo|\.cjs|(^|[\\/])(readme|changelog)(\.md)?)$/i.test(src),
  });
}

/** @param {string} dir */
async function deploy(dir) {
  const out = path.resolve(dir);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  await bundle({ outdir: path.join(out, 'dist'), sourcemap: false });
  fs.cpSync(path.join(ROOT, 'drizzle'), path.join(out, 'drizzle'), { recursive: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  /** @type {Record<string, string>} */
  const dependencies = {};
  for (const name of RUNTIME_PACKAGES) {
    const src = path.join(ROOT, 'node_modules', name);
    const manifest = JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8'));
    const deps = Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies });
    if (deps.length)
      throw new Error(`${name} now has dependencies (${deps.join(', ')}): teach build.mjs to copy them`);
    copyPackage(src, path.join(out, 'node_modules', name));
    dependencies[name] = manifest.version;
  }
  const runtimeManifest = {
    name: pkg.name,
    version: pkg.version,
    private: true,
    type: 'module',
    main: 'dist/server.js',
    engines: pkg.engines,
    dependencies,
  };
  fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(runtimeManifest, null, 2)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--deploy');
  const started = performance.now();
  try {
    if (at >= 0) {
      const dir = args[at + 1];
      if (!dir) throw new Error('--deploy needs a folder');
      await deploy(dir);
      process.stderr.write(
        `backend: bundle + runtime folder in ${dir} (${Math.round(performance.now() - started)} ms)\n`,
      );
    } else {
      await bundle({ outdir: path.join(ROOT, 'dist'), sourcemap: true });
      const size = fs.statSync(path.join(ROOT, 'dist', 'server.js')).size;
      process.stderr.write(
        `backend: dist/server.js ${(size / 1e6).toFixed(1)} MB (${Math.round(performance.now() - started)} ms)\n`,
      );
    }
  } catch (e) {
    // esbuild has already printed its own errors
    if (!(e && typeof e === 'object' && 'errors' in e))
      process.stderr.write(`build.mjs: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
