#!/usr/bin/env node
// Runs the built app the way the image does: the frontend's own server (server/main.ts: the
// client-address edge, the /api proxy, and Next.js's request handler) inside the standalone
// output. PORT defaults to 3000, BACKEND_URL to http://localhost:8000 (read per request),
// TRUSTED_PROXY_HOPS to 0.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const app = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const standalone = path.join(app, '.next/standalone/apps/frontend');
const env = { ...process.env, PORT: process.env.PORT || '3000', NODE_ENV: 'production' };

if (!existsSync(path.join(standalone, 'server.js'))) {
  console.error('frontend: no standalone build found. Run `pnpm --filter frontend build` first.');
  process.exit(1);
}

// The standalone folder carries neither the static assets nor our server: put them beside
// Next's server.js, as the image does. Copied once per build (a marker holds the build id), so a
// rebuild never serves stale assets; the server's files every time (they are a few kB).
const buildId = readFileSync(path.join(app, '.next/BUILD_ID'), 'utf8').trim();
const staticDir = path.join(standalone, '.next/static');
const marker = path.join(staticDir, '.build-id');
if (!existsSync(marker) || readFileSync(marker, 'utf8') !== buildId) {
  rmSync(staticDir, { recursive: true, force: true });
  cpSync(path.join(app, '.next/static'), staticDir, { recursive: true });
  writeFileSync(marker, buildId);
}
const publicDir = path.join(standalone, 'public');
if (!existsSync(publicDir) && existsSync(path.join(app, 'public')))
  cpSync(path.join(app, 'public'), publicDir, { recursive: true });
const serverDir = path.join(standalone, 'server');
rmSync(serverDir, { recursive: true, force: true });
for (const file of readdirSync(path.join(app, 'server')).filter((f) => f.endsWith('.ts')))
  cpSync(path.join(app, 'server', file), path.join(serverDir, file));

const child = spawn(process.execPath, [path.join(serverDir, 'main.ts')], { env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 0)));
