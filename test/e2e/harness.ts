// Starts what the browser suite needs, or uses what is already running.
// - E2E_BASE_URL set: the suite runs against that deployment and starts nothing.
// - otherwise: the BUILT backend (apps/backend/dist/server.js, in-memory PGlite, production mode, random
//   auth secret passed through the environment) and the BUILT frontend (apps/frontend, BACKEND_URL pointing
//   at that backend) on free loopback ports. Nothing is built here: run `pnpm turbo build` first.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, REPO_ROOT, startService, waitForHttp } from '@todo/scripts/toolkit';

export { REPO_ROOT };
export const RESULTS_DIR = path.join(REPO_ROOT, 'test/test-results');
export const SCREENSHOT_DIR = path.join(RESULTS_DIR, 'screenshots');

/** A server this harness started (the toolkit's service: its own process group, its last output). */
export type Managed = ReturnType<typeof startService>;

/** Waits for a 2xx from `url`; gives up early, with its output, when `proc` exits first. */
async function waitForOk(url: string, timeoutMs: number, proc?: Managed): Promise<void> {
  const r = await waitForHttp(url, {
    timeoutMs,
    requestTimeoutMs: 2000,
    accept: (status) => status >= 200 && status < 300,
    check: () => {
      if (proc?.exited())
        throw new Error(
          `${proc.name} exited with code ${proc.child.exitCode} before ${url} answered:\n${proc.log()}`,
        );
    },
  });
  if (!r.ok)
    throw new Error(
      `${url} did not answer within ${timeoutMs} ms (${r.last})${proc ? `\n${proc.log()}` : ''}`,
    );
}

/** Any answer but a gateway error means the proxy reaches the backend (401 for a visitor is fine). */
export async function waitForBackendThroughProxy(baseUrl: string, timeoutMs: number): Promise<void> {
  const r = await waitForHttp(`${baseUrl}/api/assistant`, {
    timeoutMs,
    intervalMs: 500,
    accept: (status) => ![502, 503, 504].includes(status),
  });
  if (!r.ok) throw new Error(`${baseUrl} did not reach its backend within ${timeoutMs} ms (${r.last})`);
}

function start(name: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Managed {
  return startService(name, process.execPath, args, { env, cwd });
}

export interface Deployment {
  baseUrl: string;
  /** The backend's own address, when this harness started it (the API's other door). */
  backendUrl?: string;
  /** Set when this harness started the apps itself (so tests may stop the backend). */
  backend?: Managed;
  frontend?: Managed;
  stop: () => Promise<void>;
}

/** The deployment E2E_BASE_URL names, if any: then the suite starts nothing and stops nothing. */
export function givenBaseUrl(): string | undefined {
  return process.env.E2E_BASE_URL?.trim() || undefined;
}

export async function deployment(): Promise<Deployment> {
  const given = givenBaseUrl();
  if (given) {
    const baseUrl = given.replace(/\/+$/, '');
    // a deployment that just started: wait until the frontend answers and reaches its backend
    await waitForOk(`${baseUrl}/api/healthz`, 120_000);
    await waitForBackendThroughProxy(baseUrl, 120_000);
    return { baseUrl, stop: async () => {} };
  }

  const backendEntry = path.join(REPO_ROOT, 'apps/backend/dist/server.js');
  const frontendApp = path.join(REPO_ROOT, 'apps/frontend');
  const missing = [
    fs.existsSync(backendEntry) ? null : 'apps/backend/dist/server.js',
    fs.existsSync(path.join(frontendApp, '.next/BUILD_ID')) ? null : 'apps/frontend/.next',
  ].filter(Boolean);
  if (missing.length > 0)
    throw new Error(
      `Browser suite: no build found (${missing.join(', ')}). Run \`pnpm turbo build --filter backend --filter frontend\` first, or set E2E_BASE_URL to a running deployment.`,
    );

  const [backendPort, frontendPort] = [await freePort(), await freePort()];
  const base = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };
  const backend = start(
    'backend',
    [backendEntry],
    {
      ...base,
      NODE_ENV: 'production',
      DATABASE_URL: 'pglite:memory',
      BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
      HOST: '127.0.0.1',
      PORT: String(backendPort),
      LOG_LEVEL: 'warn',
    },
    path.join(REPO_ROOT, 'apps/backend'),
  );
  const frontend = start(
    'frontend',
    [path.join(frontendApp, 'scripts/start.mjs')],
    {
      ...base,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      HOSTNAME: '127.0.0.1',
      PORT: String(frontendPort),
      BACKEND_URL: `http://127.0.0.1:${backendPort}`,
    },
    frontendApp,
  );
  const stop = async () => {
    await Promise.all([frontend.stop(), backend.stop()]);
  };
  try {
    await waitForOk(`http://127.0.0.1:${backendPort}/health`, 60_000, backend);
    await waitForOk(`http://127.0.0.1:${frontendPort}/api/healthz`, 60_000, frontend);
    await waitForBackendThroughProxy(`http://127.0.0.1:${frontendPort}`, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    baseUrl: `http://127.0.0.1:${frontendPort}`,
    backendUrl: `http://127.0.0.1:${backendPort}`,
    backend,
    frontend,
    stop,
  };
}

export type BrowserStatus = { ok: true; path: string } | { ok: false; reason: string };

export function chromiumStatus(): BrowserStatus {
  const candidate = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (fs.existsSync(candidate)) return { ok: true, path: candidate };
  return {
    ok: false,
    reason: `no chromium at ${candidate} (apt-get install chromium, or set CHROMIUM_PATH)`,
  };
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The same deployment under another host name: E2E_OTHER_ORIGIN when the caller knows one (the
 * cluster suite: the node's NodePort on loopback), else the other loopback name
 * (127.0.0.1 ↔ localhost), when there is one.
 */
export function otherHostOrigin(baseUrl: string): string | null {
  const other = process.env.E2E_OTHER_ORIGIN?.trim();
  if (other) return new URL(other).origin;
  const url = new URL(baseUrl);
  if (url.hostname === '127.0.0.1') url.hostname = 'localhost';
  else if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  else return null;
  return url.origin;
}
