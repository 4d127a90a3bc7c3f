#!/usr/bin/env node
// @ts-check
/**
 * Shrinks a production `node_modules` made by `pnpm deploy --prod` for a runtime image.
 *
 * pnpm resolves the *optional* peer dependencies of a package from the whole workspace (and
 * dedupes peer variants across projects), so the backend's better-auth arrives with next,
 * react, vitest and drizzle-kit (hundreds of MB) although the backend never imports them.
 * This walks the real dependency graph from the app's `dependencies`, following
 * dependencies, optionalDependencies and *non-optional* peers, keeps every package reached and
 * deletes the rest of `node_modules/.pnpm`, then dangling links, `.bin` folders and files no
 * runtime reads (TypeScript sources and declarations, source maps, docs).
 *
 * Runs inside the image build with plain Node (no dependencies):
 *   node prune-node-modules.mjs <deploy dir> [--keep name,name] [--no-strip] [--dry-run]
 */
import fs from 'node:fs';
import path from 'node:path';

/**
 * @typedef {{ dependencies?: Record<string, string>, optionalDependencies?: Record<string, string>,
 *   peerDependencies?: Record<string, string>, peerDependenciesMeta?: Record<string, { optional?: boolean }>,
 *   name?: string }} Manifest
 */

/** @param {string} file @returns {Manifest | undefined} */
function readManifest(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Node's lookup of `name` from a package folder: `<dir>/node_modules/<name>`, then each parent.
 * @param {string} name
 * @param {string} fromDir
 * @param {string} stopAt do not look above this folder
 * @returns {string | undefined} the package's real folder
 */
export function resolvePackage(name, fromDir, stopAt) {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
    if (path.basename(dir) === 'node_modules') {
      // inside .pnpm/<id>/node_modules/<pkg>: siblings live in this very node_modules
      const sibling = path.join(dir, name);
      if (fs.existsSync(path.join(sibling, 'package.json'))) return fs.realpathSync(sibling);
    }
    if (dir === stopAt || dir === path.dirname(dir)) return undefined;
    dir = path.dirname(dir);
  }
}

/**
 * The names a package needs at run time: dependencies, optionalDependencies (platform builds)
 * and the peers it does not mark optional.
 * @param {Manifest} m
 */
export function runtimeEdges(m) {
  const optionalPeers = new Set(
    Object.entries(m.peerDependenciesMeta ?? {})
      .filter(([, meta]) => meta?.optional)
      .map(([n]) => n),
  );
  return [
    ...new Set([
      ...Object.keys(m.dependencies ?? {}),
      ...Object.keys(m.optionalDependencies ?? {}),
      ...Object.keys(m.peerDependencies ?? {}).filter((n) => !optionalPeers.has(n)),
    ]),
  ];
}

/**
 * @param {string} root the deploy folder (holds package.json and node_modules)
 * @param {string[]} keep extra package names to keep (and their dependencies)
 * @returns {Set<string>} real folders of every package reached
 */
export function reachablePackages(root, keep = []) {
  const rootManifest = readManifest(path.join(root, 'package.json')) ?? {};
  const start = [
    ...Object.keys(rootManifest.dependencies ?? {}),
    ...Object.keys(rootManifest.optionalDependencies ?? {}),
    ...keep,
  ];
  /** @type {Set<string>} */
  const seen = new Set();
  /** @type {Array<[string, string]>} name, from folder */
  const queue = start.map((n) => [n, root]);
  while (queue.length) {
    const [name, from] = /** @type {[string, string]} */ (queue.pop());
    const dir = resolvePackage(name, from, root);
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    const m = readManifest(path.join(dir, 'package.json'));
    if (!m) continue;
    for (const dep of runtimeEdges(m)) queue.push([dep, dir]);
  }
  return seen;
}

/** @param {string} p */
function sizeOf(p) {
  let total = 0;
  const st = fs.lstatSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (st.isSymbolicLink()) return 0;
  if (!st.isDirectory()) return st.size;
  for (const e of fs.readdirSync(p)) total += sizeOf(path.join(p, e));
  return total;
}

/**
 * Deletes symbolic links below `dir` whose target no longer exists (not following links).
 * @param {string} dir
 */
function removeDanglingLinks(dir) {
  let removed = 0;
  /** @param {string} d */
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) {
        if (!fs.existsSync(p)) {
          fs.unlinkSync(p);
          removed++;
        }
      } else if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return removed;
}

// TypeScript sources too: Node never strips types inside node_modules, so no runtime loads them
const STRIP_FILE =
  /(\.[cm]?ts|\.tsx|\.map|\.tsbuildinfo|^(readme|changelog|history|contributing|authors)(\.[a-z]+)?)$/i;

/**
 * Deletes `.bin` folders and files no runtime reads; returns the bytes freed.
 * @param {string} dir
 */
function strip(dir) {
  let removed = 0;
  /** @param {string} d */
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) continue;
      if (e.isDirectory()) {
        if (e.name === '.bin') {
          fs.rmSync(p, { recursive: true, force: true });
          continue;
        }
        walk(p);
      } else if (STRIP_FILE.test(e.name)) {
        removed += fs.statSync(p).size;
        fs.unlinkSync(p);
      }
    }
  };
  walk(dir);
  return removed;
}

/**
 * @param {{ root: string, keep?: string[], strip?: boolean, dryRun?: boolean, log?: (s: string) => void }} o
 */
export function pruneNodeModules(o) {
  const log = o.log ?? ((s) => process.stderr.write(`${s}\n`));
  const modules = path.join(o.root, 'node_modules');
  const store = path.join(modules, '.pnpm');
  if (!fs.existsSync(store)) throw new Error(`${store} not found: expected a pnpm node_modules`);
  const before = sizeOf(modules);
  const reached = reachablePackages(o.root, o.keep);
  /** @type {Set<string>} */
  const keepEntries = new Set();
  for (const dir of reached) {
    const rel = path.relative(store, dir);
    if (!rel.startsWith('..')) keepEntries.add(rel.split(path.sep)[0] ?? '');
  }
  const entries = fs
    .readdirSync(store)
    .filter((e) => e !== 'node_modules' && !e.endsWith('.yaml') && !e.endsWith('.json'));
  const drop = entries.filter((e) => !keepEntries.has(e));
  log(
    `packages: ${entries.length} in the store, ${keepEntries.size} reached from the app, ${drop.length} dropped`,
  );
  if (o.dryRun) {
    for (const d of drop) log(`  would drop ${d}`);
    return { before, after: before, dropped: drop };
  }
  for (const d of drop) fs.rmSync(path.join(store, d), { recursive: true, force: true });
  const links = removeDanglingLinks(modules);
  const stripped = o.strip === false ? 0 : strip(modules);
  const after = sizeOf(modules);
  log(
    `node_modules: ${(before / 1e6).toFixed(1)} MB → ${(after / 1e6).toFixed(1)} MB ` +
      `(${links} dangling links removed, ${(stripped / 1e6).toFixed(1)} MB of declarations/maps/docs stripped)`,
  );
  return { before, after, dropped: drop };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const args = process.argv.slice(2);
  if (args.includes('-h') || args.includes('--help') || !args[0]) {
    process.stdout.write(
      'Usage: node prune-node-modules.mjs <deploy dir> [--keep a,b] [--no-strip] [--dry-run]\n' +
        'Keeps the packages reachable from the app (dependencies, optional dependencies, required peers);\n' +
        'drops the rest of node_modules/.pnpm, dangling links, .bin folders, declarations, maps and docs.\n',
    );
    process.exit(args[0] ? 0 : 2);
  }
  const keepIdx = args.indexOf('--keep');
  const keep = keepIdx >= 0 ? (args[keepIdx + 1] ?? '').split(',').filter(Boolean) : [];
  try {
    pruneNodeModules({
      root: path.resolve(args[0] ?? '.'),
      keep,
      strip: !args.includes('--no-strip'),
      dryRun: args.includes('--dry-run'),
    });
  } catch (e) {
    process.stderr.write(`prune-node-modules: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
