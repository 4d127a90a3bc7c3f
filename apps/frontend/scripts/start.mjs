#!/usr/bin/env node
// Runs the built app: the standalone server when `next build` produced one, `next start` otherwise.
// PORT defaults to 3000, BACKEND_URL to http://localhost:8000 (read per request by the proxy route).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const app = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const standalone = path.join(app, '.next/standalone/apps/frontend');
const server = path.join(standalone, 'server.js');
const env = { ...process.env, PORT: process.env.PORT || '3000', NODE_ENV: 'production' };

let child;
if (existsSync(server)) {
  // The standalone folder carries no static assets: put them beside server.js, as an image would.
  // Copied once per build (a marker holds the build id), so a rebuild never serves stale assets.
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
  child = spawn(process.execPath, [server], { env, stdio: 'inherit' });
} else if (existsSync(path.join(app, '.next/BUILD_ID'))) {
  const nextBin = path.join(app, 'node_modules/next/dist/bin/next');
  child = spawn(process.execPath, [nextBin, 'start', '--port', env.PORT], {
    env,
    stdio: 'inherit',
    cwd: app,
  });
} else {
  console.error('frontend: no build found. Run `pnpm --filter frontend build` first.');
  process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 0)));
