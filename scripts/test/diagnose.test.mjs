// `pnpm diagnose` on a backend that runs but cannot use its database: the pod state, events and
// log lines in fixtures/backend-not-ready.json were printed by the real backend against a TLS-only
// PostgreSQL (a wrong password; verify-full without the CA), and must come out as the reason in
// plain words with what to do about it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../lib/cluster.mjs';
import {
  analyze,
  analyzePod,
  collect,
  NOT_READY_ADVICE,
  notReadyReason,
  readableLogLine,
  report,
} from '../lib/diagnose.mjs';
import { createLog } from '../lib/log.mjs';
import { REPO_ROOT } from '../lib/repo.mjs';
import { fakeRunner, useTempDirs } from './helpers.mjs';

const { cfgOf } = useTempDirs();

const fx = JSON.parse(fs.readFileSync(new URL('./fixtures/backend-not-ready.json', import.meta.url), 'utf8'));
const POD = fx.pod.metadata.name;

/** @param {string[]} logs */
const findingsWith = (logs) => analyze({ items: [fx.pod] }, { items: fx.events }, { [POD]: logs });

describe('diagnose: the backend is running but not Ready', () => {
  it('a wrong password: says so, and where to correct it', () => {
    const [f] = findingsWith(fx.logs.password);
    expect(f?.cause).toMatch(
      /^running, not Ready: the database refused the password for user "todo" \(127\.0\.0\.1:\d+\)$/,
    );
    expect(f?.advice).toMatch(/password in DATABASE_URL/);
  });

  it('an untrusted certificate: says so, and how to give the CA', () => {
    const [f] = findingsWith(fx.logs.untrusted);
    expect(f?.cause).toMatch(/^running, not Ready: the database's TLS certificate is not trusted/);
    expect(f?.advice).toMatch(/PGSSLROOTCERT/);
  });

  it('prints the log lines as sentences, not JSON', () => {
    /** @type {string[]} */
    const lines = [];
    const sink = { write: (/** @type {string} */ s) => lines.push(s) };
    const log = createLog({ out: sink, err: sink, color: false });
    report(log, findingsWith(fx.logs.password));
    const text = lines.join('');
    expect(text).toContain('refused the password for user "todo"');
    expect(text).not.toMatch(/"level":/);
  });

  it('without the backend’s reason in the log, the failing probe is still named', () => {
    const [f] = findingsWith(['some other line']);
    expect(f?.cause).toMatch(
      /health probe fails \(Readiness probe failed: HTTP probe failed with statuscode: 503\)/,
    );
  });

  it('takes the newest reason, and reads lines with a prefix', () => {
    const older = JSON.stringify({
      notReady: 'db_refused',
      msg: 'not ready: nothing accepts connections at x:5432',
    });
    const newer = `2026-11-30T12:00:00Z ${JSON.stringify({ notReady: 'db_password', msg: 'not ready: the database refused the password' })}`;
    expect(notReadyReason([older, newer, 'plain text'])).toEqual({
      reason: 'db_password',
      sentence: 'the database refused the password',
    });
    expect(readableLogLine('{"level":40,"msg":"a","err":{"message":"b"}}')).toBe('a (b)');
    expect(readableLogLine('not json')).toBe('not json');
  });

  it('has advice for every reason the backend gives (apps/backend/src/db/client.ts)', () => {
    const source = fs.readFileSync(path.join(REPO_ROOT, 'apps/backend/src/db/client.ts'), 'utf8');
    const union = /reason:\s*((?:\s*\|\s*'db_[a-z_]+')+)/.exec(source)?.[1] ?? '';
    const reasons = [...union.matchAll(/'(db_[a-z_]+)'/g)].map((m) => m[1]);
    expect(reasons.length).toBeGreaterThan(10);
    expect(Object.keys(NOT_READY_ADVICE).sort()).toEqual([...reasons].sort());
  });
});

describe('diagnose', () => {
  /** @param {any} status @param {any[]} [events] @param {string[]} [logs] */
  const cause = (status, events = [], logs = []) =>
    analyzePod(
      { metadata: { name: 'p' }, spec: { containers: [{ image: 'todo-backend:1' }] }, status },
      events,
      logs,
    ).cause;
  it('names the probable cause in plain words', () => {
    expect(
      cause({
        phase: 'Pending',
        containerStatuses: [{ state: { waiting: { reason: 'ErrImageNeverPull' } } }],
      }),
    ).toMatch(/image not loaded/);
    expect(
      cause(
        { phase: 'Running', containerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
        [],
        ['Error: DATABASE_URL must be set'],
      ),
    ).toMatch(/variable is missing/);
    expect(
      cause({
        phase: 'Running',
        containerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      }),
    ).toMatch(/keeps crashing/);
    expect(
      cause({
        phase: 'Pending',
        conditions: [
          { type: 'PodScheduled', status: 'False', message: '0/1 nodes are available: 1 Insufficient cpu.' },
        ],
      }),
    ).toMatch(/not enough free CPU or memory/);
    expect(
      cause({ phase: 'Running', containerStatuses: [{ state: { running: {} } }] }, [
        { reason: 'Unhealthy', message: 'Readiness probe failed' },
      ]),
    ).toMatch(/probe fails/);
    expect(
      cause({
        phase: 'Running',
        containerStatuses: [{ lastState: { terminated: { reason: 'OOMKilled' } } }],
      }),
    ).toMatch(/OOMKilled/);
  });
});

describe('diagnose.collect', () => {
  it('reads pods, then events and logs only for pods that are not Ready', async () => {
    const t = resolveTarget(cfgOf({}));
    const pods = {
      items: [
        {
          metadata: { name: 'ok-1' },
          status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
        },
        {
          metadata: { name: 'bad-1' },
          status: {
            phase: 'Running',
            conditions: [{ type: 'Ready', status: 'False' }],
            containerStatuses: [{ restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
          },
        },
      ],
    };
    const r = fakeRunner({
      'kubectl --context minikube --namespace todo get pods': { stdout: JSON.stringify(pods) },
      'kubectl --context minikube --namespace todo logs bad-1': {
        stdout: 'Error: BETTER_AUTH_SECRET is required\n',
      },
    });
    const d = await collect(t, /** @type {any} */ (r), { release: 'todo-backend' });
    expect(d.podCount).toBe(2);
    expect(d.findings.map((f) => f.pod)).toEqual(['bad-1']);
    expect(d.findings[0]?.cause).toMatch(/variable is missing/);
    expect(r.calls[0]).toContain('--selector app.kubernetes.io/instance=todo-backend');
    expect(r.calls.some((c) => c.includes('logs bad-1') && c.includes('--previous'))).toBe(true);
    expect(r.calls.some((c) => c.includes('logs ok-1'))).toBe(false);
  });
});
