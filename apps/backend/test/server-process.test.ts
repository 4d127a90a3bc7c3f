import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from './helpers/fake-openai.js';
import { freePort } from './helpers/net.js';
import { BACKEND_ROOT, startServerProcess, waitFor } from './helpers/server-process.js';

const entry = path.join(BACKEND_ROOT, 'dist', 'server.js');

/** The built server (`node dist/server.js`), quiet but for warnings unless `env` says otherwise. */
const start = (env: Record<string, string>) => startServerProcess([entry], { LOG_LEVEL: 'warn', ...env });

describe('the built server as a child process', () => {
  let tmp: string;
  beforeAll(() => {
    // The test runs what `pnpm start` runs: the esbuild bundle (built again here, so the test also
    // holds when run on its own rather than through turbo, whose test task builds first).
    execFileSync(process.execPath, [path.join(BACKEND_ROOT, 'build.mjs')], {
      cwd: BACKEND_ROOT,
      stdio: 'inherit',
    });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-proc-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('refuses to start in production without BETTER_AUTH_SECRET, with a clear message', async () => {
    const { exited, output } = start({
      NODE_ENV: 'production',
      DATABASE_URL: 'pglite:memory',
      PORT: String(await freePort()),
    });
    expect(await exited).toBe(78);
    expect(output()).toContain('BETTER_AUTH_SECRET is not set');
  }, 60_000);

  it('finishes an open chat stream after SIGTERM, then exits 0', async () => {
    const fake = await startFakeOpenAI(() => ({ text: 'finished after the signal' }), 1500);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const proc = start({
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: 'pglite:memory',
      DATA_DIR: tmp,
      OPENAI_BASE_URL: fake.baseURL,
      SHUTDOWN_TIMEOUT_MS: '15000',
      SHUTDOWN_DELAY_MS: '1000',
      BETTER_AUTH_URL: base,
    });
    try {
      await waitFor(base, proc.child, async () => (await fetch(`${base}/health`)).ok, 120_000);
      const signUp = await fetch(`${base}/api/auth/sign-up/email`, {
        method: 'POST',
        // Node's fetch sends Sec-Fetch-Mode like a browser, so Better Auth wants a trusted Origin.
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ email: 'sig@example.com', password: 'correct-horse-battery', name: 'sig' }),
      });
      const token = signUp.headers.get('set-auth-token');
      if (!token) throw new Error(`sign-up failed: ${signUp.status} ${await signUp.text()} ${proc.output()}`);
      expect(token).toBeTruthy();
      const res = await fetch(`${base}/api/chat`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'hello' }),
      });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).toContain('event: conversation');

      proc.child.kill('SIGTERM');
      // during SHUTDOWN_DELAY_MS it still serves, but is no longer ready
      await new Promise((r) => setTimeout(r, 200));
      expect((await fetch(`${base}/ready`)).status).toBe(503);
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      // and tells kept-alive clients to move on
      expect(health.headers.get('connection')).toBe('close');
      let rest = '';
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        rest += new TextDecoder().decode(chunk.value);
      }
      expect(rest).toContain('finished ');
      expect(rest).toContain('event: done');
      expect(await proc.exited).toBe(0);
      // stopped accepting
      await expect(fetch(`${base}/health`)).rejects.toThrow();
    } finally {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
      await fake.close();
    }
  }, 240_000);
});
