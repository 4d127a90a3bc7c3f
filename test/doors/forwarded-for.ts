import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Deployment } from '../e2e/harness.js';
import { DoorClient } from './client.js';

// Issue 13.2 end to end: through the frontend's proxy, a client that writes a new
// X-Forwarded-For on every attempt is still one client to the backend's per-address sign-in
// limit (RATE_LIMIT_AUTH_PER_MINUTE, 60 by default), because the proxy replaces the header with
// the socket's address (TRUSTED_PROXY_HOPS=0).

/** Attempts that must bring the limit's 429 (the default limit and then some). */
const ATTEMPTS = 70;

export function signInLimitTests(apps: () => Deployment | undefined) {
  describe('the sign-in limit through the proxy', () => {
    it('is not reset by a client that sends X-Forwarded-For: 203.0.113.N', async () => {
      const app = apps();
      expect(app, 'the suite started the apps').toBeDefined();
      const client = new DoorClient(app?.baseUrl ?? '');
      try {
        const statuses: number[] = [];
        for (let i = 1; i <= ATTEMPTS && !statuses.includes(429); i++) {
          const answer = await client.send({
            method: 'POST',
            path: '/api/auth/sign-in/email',
            headers: { 'x-forwarded-for': `203.0.113.${i}`, 'x-real-ip': `203.0.113.${i}` },
            body: { email: `nobody-${randomUUID()}@example.com`, password: 'wrong password 123' },
          });
          statuses.push(answer.status);
        }
        expect(statuses, 'every attempt but the last was refused as a wrong password').toEqual([
          ...statuses.slice(0, -1).map(() => 401),
          429,
        ]);
        // a new address claimed after the 429 does not help either
        const again = await client.send({
          method: 'POST',
          path: '/api/auth/sign-in/email',
          headers: { 'x-forwarded-for': '198.51.100.77' },
          body: { email: `nobody-${randomUUID()}@example.com`, password: 'wrong password 123' },
        });
        expect(again.status).toBe(429);
      } finally {
        client.close();
      }
    });
  });
}
