// IMAGE_LOADER=registry against a real registry (distribution v3, built from its Go module, on
// loopback, plain HTTP, htpasswd credentials): the pipeline's `load` step logs in with the password
// on stdin, pushes the content-hash tag, and the next run finds it there and pushes nothing; what
// was pushed pulls back by reference (what the kubelet does), and only with the credentials.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, missingTools, REQUIRED, run, script, scriptEnv, type Workspace } from './lib.js';
import { type Registry, registryUnavailable, startRegistry } from './registry.js';

const missing = missingTools() ?? registryUnavailable();
if (missing && !REQUIRED) console.warn(`\n!!! registry suite SKIPPED: ${missing}\n`);

describe.skipIf(Boolean(missing) && !REQUIRED)('IMAGE_LOADER=registry against a real registry', () => {
  let reg: Registry;
  let ws: Workspace;
  beforeAll(async () => {
    if (missing) throw new Error(`under CI=true the registry suite must run: ${missing}`);
    reg = await startRegistry({ auth: true });
    ws = makeWorkspace();
  });
  afterAll(async () => {
    ws?.cleanup(reg ? [reg.address] : []);
    await reg?.stop();
  });

  it('pushes the content-hash tag after a docker login whose password goes in on stdin', async () => {
    const r = await script('load', ['backend'], scriptEnv(ws, reg));
    expect(r.code, r.output).toBe(0);
    const [, hash] = (ws.images.backend ?? '').split(':');
    expect(r.output).toContain(`pushed ${reg.address}/todo-backend:${hash}`);
    expect(r.output).toMatch(/docker login localhost:\d+ --username ci --password-stdin/);
    expect(r.output).toContain(`$ docker push ${reg.address}/todo-backend:${hash}`);
    expect(r.output).not.toContain(reg.auth?.password);
    expect(await reg.tags('todo-backend')).toEqual([hash]);
    // Docker kept the login in this suite's own client folder, not the machine's
    expect(fs.readFileSync(path.join(ws.home, 'docker', 'config.json'), 'utf8')).toContain(reg.address);
  });

  it('a second load finds the tag in the registry and pushes nothing', async () => {
    const r = await script('load', ['backend'], scriptEnv(ws, reg));
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/already in the registry, not pushed/);
    expect(r.output).not.toContain('$ docker push');
  });

  it('what was pushed pulls back by reference, with the credentials only', async () => {
    const ref = `${reg.address}/${ws.images.backend}`;
    const env = scriptEnv(ws, reg);
    expect((await run('docker', ['rmi', ref], env)).code).toBe(0);
    const pulled = await run('docker', ['pull', ref], env);
    expect(pulled.code, pulled.output).toBe(0);
    // a client without the login is refused: the registry really needs the credentials
    const stranger = { ...env, DOCKER_CONFIG: fs.mkdtempSync(path.join(ws.home, 'stranger-')) };
    const refused = await run('docker', ['pull', ref], stranger);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/no basic auth credentials|unauthorized|authentication required/i);
  });

  it('a wrong password stops the load with a message that names the settings, not the password', async () => {
    const wrong = 'definitely-not-it-42';
    const env = scriptEnv(ws, reg, { REGISTRY_PASSWORD: wrong, DOCKER_CONFIG: path.join(ws.home, 'fresh') });
    fs.mkdirSync(path.join(ws.home, 'fresh'), { recursive: true });
    const r = await script('load', ['frontend'], env);
    expect(r.code).toBe(4);
    expect(r.output).toMatch(
      /docker login localhost:\d+ as ci failed: .*Check REGISTRY_USERNAME and REGISTRY_PASSWORD/,
    );
    expect(r.output).not.toContain(wrong);
  });
});
