#!/usr/bin/env node
// First-load JavaScript per route, gzip level 9, from the build output (`next build` writes
// .next/diagnostics/route-bundle-stats.json with each route's first-load chunks).
// Usage: node bench/first-load.mjs [--budget-kb 200] [--route /] [--json]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const app = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const budgetKb = Number(option('--budget-kb', '200'));
const mainRoute = option('--route', '/');

let stats;
try {
  stats = JSON.parse(readFileSync(path.join(app, '.next/diagnostics/route-bundle-stats.json'), 'utf8'));
} catch {
  console.error('first-load: no build output found; run `pnpm --filter frontend build` first.');
  process.exit(2);
}

const kb = (bytes) => (bytes / 1000).toFixed(1);
const rows = stats.map(({ route, firstLoadChunkPaths }) => {
  let raw = 0;
  let gzip = 0;
  for (const chunk of firstLoadChunkPaths) {
    const bytes = readFileSync(path.join(app, chunk));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { route, chunks: firstLoadChunkPaths.length, raw, gzip };
});

if (args.includes('--json')) {
  console.log(JSON.stringify({ budgetKb, routes: rows }, null, 2));
} else {
  console.log('route'.padEnd(16), 'chunks'.padStart(6), 'raw kB'.padStart(9), 'gzip kB'.padStart(9));
  for (const r of rows)
    console.log(
      r.route.padEnd(16),
      String(r.chunks).padStart(6),
      kb(r.raw).padStart(9),
      kb(r.gzip).padStart(9),
    );
}

const main = rows.find((r) => r.route === mainRoute);
if (!main) {
  console.error(`first-load: route ${mainRoute} not in the build output`);
  process.exit(2);
}
const ok = main.gzip <= budgetKb * 1000;
console.log(
  `first-load JS of ${mainRoute}: ${kb(main.gzip)} kB gzip (budget ${budgetKb} kB): ${ok ? 'OK' : 'OVER BUDGET'}`,
);
process.exit(ok ? 0 : 1);
