// @ts-check
// Loopback helpers shared by the scripts, the test harnesses and the benches: whether a host is
// loopback, a free TCP port, and waiting until a URL answers.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** `localhost`, `127.x.y.z` and `[::1]`, with or without a port. @param {string} host */
export function isLoopbackHost(host) {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : (host.split(':')[0] ?? '');
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/**
 * A free TCP port on `host`, asked from the kernel.
 * @param {string} [host]
 * @returns {Promise<number>}
 */
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * @typedef {{
 *   timeoutMs: number,
 *   intervalMs?: number,
 *   requestTimeoutMs?: number,
 *   accept?: (status: number) => boolean,
 *   check?: () => void | Promise<void>,
 *   fetchImpl?: typeof fetch,
 * }} WaitOptions
 *   `accept`: which status counts as an answer (default: below 400; redirects are not followed).
 *   `check`: called after every unanswered attempt; throw from it to give up early (e.g. the
 *   server under test has exited).
 */

/**
 * Polls `url` until it answers with an accepted status or `timeoutMs` passes. Never throws for a
 * timeout: `ok` says whether it answered, `last` what the last attempt saw, `ms` how long it took.
 * @param {string} url
 * @param {WaitOptions} o
 * @returns {Promise<{ ok: boolean, status: number, last: string, ms: number }>}
 */
export async function waitForHttp(url, o) {
  const t0 = performance.now();
  const deadline = t0 + o.timeoutMs;
  const f = o.fetchImpl ?? fetch;
  const accept = o.accept ?? ((status) => status < 400);
  let last = '';
  while (performance.now() < deadline) {
    try {
      const res = await f(url, {
        signal: AbortSignal.timeout(o.requestTimeoutMs ?? 5000),
        redirect: 'manual',
      });
      await res.body?.cancel();
      if (accept(res.status)) return { ok: true, status: res.status, last: '', ms: performance.now() - t0 };
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await o.check?.();
    await sleep(o.intervalMs ?? 250);
  }
  return { ok: false, status: 0, last, ms: performance.now() - t0 };
}
