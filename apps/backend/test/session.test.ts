// SessionResolver: the per-replica session cache in front of Better Auth's getSession.
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Auth } from '../src/auth/auth.js';
import { SessionResolver } from '../src/auth/session.js';

function fakeAuth() {
  const calls: string[] = [];
  let release: (() => void) | undefined;
  let hold = false;
  let fail = false;
  const auth = {
    api: {
      async getSession({ headers }: { headers: Headers }) {
        calls.push(headers.get('authorization') ?? '');
        if (hold) await new Promise<void>((r) => (release = r));
        if (fail) throw new Error('database down');
        return {
          user: { id: 'u1', email: 'a@example.com', name: 'a' },
          session: { expiresAt: new Date(Date.now() + 3_600_000) },
        };
      },
    },
  };
  return {
    auth: auth as unknown as Auth,
    calls,
    hold: (on: boolean) => (hold = on),
    fail: (on: boolean) => (fail = on),
    release: () => release?.(),
  };
}

const req = (token: string) =>
  ({ headers: { authorization: `Bearer ${token}` } }) as unknown as FastifyRequest;
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('SessionResolver', () => {
  it('caches a session per credential for its TTL', async () => {
    const f = fakeAuth();
    const s = new SessionResolver(f.auth, 60_000);
    expect((await s.resolve(req('t1')))?.id).toBe('u1');
    await s.resolve(req('t1'));
    expect(f.calls).toHaveLength(1);
    await s.resolve(req('t2'));
    expect(f.calls).toHaveLength(2);
    expect(await s.resolve({ headers: {} } as FastifyRequest)).toBeNull();
  });

  it('lets concurrent requests with one credential share a single lookup', async () => {
    const f = fakeAuth();
    f.hold(true);
    const s = new SessionResolver(f.auth, 60_000);
    const all = Promise.all([s.resolve(req('t')), s.resolve(req('t')), s.resolve(req('t'))]);
    await tick();
    f.release();
    expect((await all).map((u) => u?.id)).toEqual(['u1', 'u1', 'u1']);
    expect(f.calls).toHaveLength(1);
  });

  it('does not keep a lookup that a sign-out (forget) overtook', async () => {
    const f = fakeAuth();
    f.hold(true);
    const s = new SessionResolver(f.auth, 60_000);
    const pending = s.resolve(req('t'));
    await tick();
    s.forget({ authorization: 'Bearer t' });
    f.release();
    await pending;
    f.hold(false);
    await s.resolve(req('t'));
    expect(f.calls).toHaveLength(2);
  });

  it('rejects every waiter when the lookup fails, and caches nothing', async () => {
    const f = fakeAuth();
    f.fail(true);
    const s = new SessionResolver(f.auth, 60_000);
    await expect(Promise.all([s.resolve(req('t')), s.resolve(req('t'))])).rejects.toThrow('database down');
    f.fail(false);
    expect((await s.resolve(req('t')))?.id).toBe('u1');
    expect(f.calls).toHaveLength(2);
  });
});
