// @ts-check
// Watches the source folders watch mode rebuilds from and reports each file whose content
// changed. One inotify watch per folder (fs.watch, not recursive: Node's recursive mode walks
// every folder, node_modules and .next included); installed and generated folders are left out;
// a save that leaves a file's content as it was (a touch, an editor writing the same bytes, turbo
// restoring a cached output) is not a change. Kept by hand: a few dozen lines on node:fs, where a
// watcher library would bring its own dependency tree for what this needs.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Folders that are installed or generated, never sources. */
const IGNORED_DIRS = new Set([
  'node_modules',
  '.git',
  '.turbo',
  '.next',
  'dist',
  'coverage',
  '.data',
  '.image',
  'test-results',
  'playwright-report',
]);

/**
 * Whether a repository-relative path is left out: installed or generated folders, a chart's
 * packaged dependencies (`charts/<chart>/charts/`, `Chart.lock`: the chart:deps task writes them),
 * logs and editors' temporary files.
 * @param {string} rel POSIX path relative to the repository root
 */
export function ignored(rel) {
  const parts = rel.split('/');
  if (parts.some((p) => IGNORED_DIRS.has(p))) return true;
  if (parts[0] === 'charts' && (parts[2] === 'charts' || parts[2] === 'Chart.lock')) return true;
  const base = parts.at(-1) ?? '';
  return (
    /\.(log|tsbuildinfo|swp|swx|swo|tmp)$/.test(base) ||
    base.endsWith('~') ||
    base.startsWith('.#') ||
    base === '.DS_Store' ||
    base === '4913' // vim's write probe
  );
}

/** @param {string} file @returns {string | null} null: gone or unreadable */
function contentHash(file) {
  try {
    return createHash('sha1').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

/**
 * @param {{
 *   root: string,
 *   dirs: string[],
 *   files?: string[],
 *   onChange: (rel: string) => void,
 * }} o `dirs`: folders watched with everything below them; `files`: single files of the root
 *   folder (.env, the lockfile). Paths relative to `root`.
 */
export function watchTree(o) {
  /** @type {Map<string, string | null>} file → content hash */
  const known = new Map();
  /** @type {Map<string, fs.FSWatcher>} folder → its watch */
  const watchers = new Map();
  const rootFiles = new Set(o.files ?? []);
  const abs = (/** @type {string} */ rel) => path.join(o.root, rel);
  const join = (/** @type {string} */ dir, /** @type {string} */ name) => (dir ? `${dir}/${name}` : name);

  /** A file event: a change only when the content differs from what was seen before. */
  const fileEvent = (/** @type {string} */ rel) => {
    const h = contentHash(abs(rel));
    if (known.has(rel) && known.get(rel) === h) return;
    if (!known.has(rel) && h === null) return; // created and gone again (an editor's temporary file)
    if (h === null) known.delete(rel);
    else known.set(rel, h);
    o.onChange(rel);
  };

  /**
   * Watches a folder and everything below it; `report`: its files count as changed (a folder that
   * appeared after the start, e.g. a new source folder or a branch switch).
   * @param {string} rel
   * @param {boolean} report
   */
  const addDir = (rel, report) => {
    if (watchers.has(rel) || ignored(rel)) return;
    let entries;
    try {
      entries = fs.readdirSync(abs(rel), { withFileTypes: true });
    } catch {
      return;
    }
    try {
      const w = fs.watch(abs(rel), (_event, name) => onEvent(rel, name ? String(name) : null));
      w.on('error', () => dropDir(rel));
      watchers.set(rel, w);
    } catch {
      return;
    }
    for (const e of entries) {
      const child = join(rel, e.name);
      if (ignored(child)) continue;
      if (e.isDirectory()) addDir(child, report);
      else if (e.isFile()) {
        if (report) fileEvent(child);
        else known.set(child, contentHash(abs(child)));
      }
    }
  };

  /** A folder that went away: its watches and its files. @param {string} rel */
  const dropDir = (rel) => {
    for (const [dir, w] of watchers)
      if (dir === rel || dir.startsWith(`${rel}/`)) {
        w.close();
        watchers.delete(dir);
      }
    for (const f of [...known.keys()])
      if (f.startsWith(`${rel}/`)) {
        known.delete(f);
        o.onChange(f);
      }
  };

  /** @param {string} dir @param {string | null} name */
  const onEvent = (dir, name) => {
    if (!name) return;
    const rel = join(dir, name);
    if (ignored(rel)) return;
    if (dir === '' && !rootFiles.has(rel)) return;
    let st;
    try {
      st = fs.statSync(abs(rel));
    } catch {
      st = null;
    }
    if (st?.isDirectory()) {
      if (dir !== '') addDir(rel, true);
    } else if (!st && watchers.has(rel)) dropDir(rel);
    else fileEvent(rel);
  };

  for (const d of o.dirs) addDir(d, false);
  if (rootFiles.size) {
    for (const f of rootFiles) known.set(f, contentHash(abs(f)));
    const w = fs.watch(o.root, (_event, name) => onEvent('', name ? String(name) : null));
    w.on('error', () => {});
    watchers.set('', w);
  }

  return {
    /** How many folders are watched. */
    folders: () => watchers.size,
    /** The files known to exist now. */
    files: () => [...known.entries()].filter(([, h]) => h !== null).map(([f]) => f),
    close() {
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}

/**
 * Debounces changes into rounds that never overlap: a round starts `debounceMs` after the last
 * change; changes that arrive while a round runs make the next round.
 * @param {{
 *   debounceMs: number,
 *   run: (batch: { files: string[], firstAt: number, lastAt: number } | null) => Promise<void>,
 *   now?: () => number,
 * }} o `run(null)`: a round that `runNow` starts (the first deploy)
 */
export function roundQueue(o) {
  const now = o.now ?? (() => performance.now());
  /** @type {Set<string>} */
  let files = new Set();
  let firstAt = 0;
  let lastAt = 0;
  /** @type {NodeJS.Timeout | null} */
  let timer = null;
  let running = false;
  let closed = false;
  let settled = false;
  /** @type {Promise<void>} */
  let current = Promise.resolve();

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (running || closed || !files.size) return;
    const wait = Math.max(0, lastAt + o.debounceMs - now());
    timer = setTimeout(start, wait);
  };
  /** @param {{ files: string[], firstAt: number, lastAt: number } | null} batch */
  const launch = (batch) => {
    running = true;
    current = o
      .run(batch)
      .catch(() => {})
      .finally(() => {
        running = false;
        schedule();
      });
  };
  const start = () => {
    timer = null;
    if (running || closed || !files.size) return;
    // a busy machine may fire the timer before it has read the events that arrived meanwhile:
    // let it read them first (setImmediate runs after pending I/O), then look again
    if (!settled) {
      settled = true;
      setImmediate(() => {
        if (now() - lastAt < o.debounceMs) {
          settled = false;
          schedule();
        } else start();
      });
      return;
    }
    settled = false;
    const batch = { files: [...files].sort(), firstAt, lastAt };
    files = new Set();
    launch(batch);
  };

  return {
    /** A changed file. @param {string} rel */
    notify(rel) {
      if (closed) return;
      const t = now();
      if (!files.size) firstAt = t;
      files.add(rel);
      lastAt = t;
      schedule();
    },
    /** Whether a round runs now. */
    busy: () => running,
    /** Starts a round without a batch now (the changes that come meanwhile make the next one). */
    runNow() {
      if (!running && !closed) launch(null);
    },
    /** Stops scheduling; resolves when the running round (if any) has finished. */
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
