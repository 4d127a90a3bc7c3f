// The API contract through every door (issue 13.8): the backend itself, the frontend's
// same-origin proxy, and later any other (the NodePort). The same requests go through each, in
// the same order, each door with its own new user; every door must give the status and problem
// `code` the contract promises and, for every check, the same ones as the first door.
//
//   pnpm --filter @todo/test test:doors
//       starts the built backend and frontend (like the browser suite) and tests both doors
//   DOORS="backend=http://127.0.0.1:8000,proxy=http://127.0.0.1:3000,nodeport=http://192.168.49.2:30000"
//       tests those doors instead, the first one being the reference
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Deployment, deployment } from '../e2e/harness.js';
import { CHECKS, type Context } from './checks.js';
import { DoorClient } from './client.js';
import { signInLimitTests } from './forwarded-for.js';

interface Door {
  name: string;
  url: string;
}

function givenDoors(): Door[] | undefined {
  const raw = process.env.DOORS?.trim();
  if (!raw) return undefined;
  return raw.split(',').map((entry) => {
    const [name = '', url = ''] = entry.split('=');
    if (!name || !/^https?:\/\//.test(url)) throw new Error(`DOORS: "${entry}" is not name=http://host:port`);
    return { name: name.trim(), url: url.trim().replace(/\/+$/, '') };
  });
}

const given = givenDoors();
const doors: Door[] = given ?? [
  { name: 'backend', url: '' },
  { name: 'proxy', url: '' },
];
let started: Deployment | undefined;

/** door → check name → what it answered */
const answers = new Map<string, Map<string, { status: number; code: string | undefined }>>();

beforeAll(async () => {
  if (given) return;
  started = await deployment();
  const [backend, proxy] = doors as [Door, Door];
  if (!started.backendUrl) throw new Error('the harness started no backend of its own');
  backend.url = started.backendUrl;
  proxy.url = started.baseUrl;
});

afterAll(async () => {
  await started?.stop();
});

describe.each(doors)('the API through the $name door', (door) => {
  const ctx: Context = { email: `door-${door.name}-${randomUUID().slice(0, 8)}@example.com`, taskId: '' };
  let client: DoorClient;
  beforeAll(() => {
    client = new DoorClient(door.url);
    answers.set(door.name, new Map());
  });
  afterAll(() => client.close());

  for (const check of CHECKS) {
    it(check.name, async () => {
      const answer = await client.send(check.request(ctx));
      answers.get(door.name)?.set(check.name, { status: answer.status, code: answer.code });
      if (check.expect) {
        expect(
          { status: answer.status, code: check.expect.code && answer.code },
          answer.body.slice(0, 300),
        ).toEqual(check.expect);
      }
      check.verify?.(answer, ctx);
    });
  }
});

describe('every door answers alike', () => {
  it(`gives the ${doors[0]?.name} door's status and problem code for every check`, () => {
    const [reference, ...others] = doors.map((door) => ({ door, seen: answers.get(door.name) }));
    expect(reference?.seen?.size, 'the reference door answered every check').toBe(CHECKS.length);
    for (const other of others) {
      const differences = CHECKS.filter(
        (check) =>
          JSON.stringify(other.seen?.get(check.name)) !== JSON.stringify(reference?.seen?.get(check.name)),
      ).map(
        (check) =>
          `${check.name}: ${reference?.door.name} ${JSON.stringify(reference?.seen?.get(check.name))}, ${other.door.name} ${JSON.stringify(other.seen?.get(check.name))}`,
      );
      expect(differences).toEqual([]);
    }
  });
});

// Only against apps this suite started: it uses up the sign-in limit of this machine's address.
if (!given) signInLimitTests(() => started);
