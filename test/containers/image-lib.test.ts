// Unit tests (no Docker needed) for the image scripts' library functions: which files reach the
// build context, which context files a Dockerfile copies and argument parsing of scripts/image.mjs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IMAGE_CLI, imageOptions, repositoryOf } from '@todo/scripts/lib/app-image.mjs';
import { parseCli } from '@todo/scripts/lib/args.mjs';
import { BASE_IMAGES_CLI, baseImageOptions } from '@todo/scripts/lib/base-images/cli.mjs';
import { IMAGES } from '@todo/scripts/lib/base-images/images.mjs';
import { pickVersion } from '@todo/scripts/lib/base-images/npm.mjs';
import { addUser } from '@todo/scripts/lib/base-images/rootfs.mjs';
import { contextCopySources, contextFilter, listFiles, sha256 } from '@todo/scripts/lib/content-hash.mjs';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { REPO_ROOT, run } from './lib.js';

/** scripts/image.mjs's options for a command line and a configuration (null for --help). */
const parseImageArgs = (argv: string[], env: Record<string, string>) => {
  const cli = parseCli(IMAGE_CLI, argv);
  return cli.help ? null : imageOptions(cli, env);
};
/** scripts/base-images.mjs's options for a command line (null for --help). */
const parseBaseArgs = (argv: string[]) => {
  const cli = parseCli(BASE_IMAGES_CLI, argv);
  return cli.help ? null : baseImageOptions(cli);
};

const tmpDirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-image-lib-'));
  tmpDirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('build context filter (.dockerignore of the repository)', () => {
  const inContext = contextFilter(fs.readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8'));

  it.each([
    'package.json',
    'pnpm-lock.yaml',
    'pnpm-workspace.yaml',
    'turbo.json',
    'packages/tsconfig/base.json',
    'packages/contracts/src/index.ts',
    'apps/backend/package.json',
    'apps/backend/src/server.ts',
    'apps/backend/build.mjs',
    'apps/backend/drizzle/0000_init.sql',
    'apps/frontend/src/app/page.tsx',
    'apps/frontend/public/icon.svg',
  ])('sends %s', (file) => {
    expect(inContext(file)).toBe(true);
  });

  it.each([
    '.env',
    'apps/backend/.env.local',
    '.git/HEAD',
    'node_modules/zx/package.json',
    'apps/frontend/node_modules/next/package.json',
    'apps/frontend/.next/BUILD_ID',
    'apps/backend/dist/server.js',
    'apps/backend/.image/tag',
    'apps/backend/test/tasks.test.ts',
    'apps/frontend/src/components/Board.test.tsx',
    'apps/backend/bench/run.ts',
    'charts/todo-backend/values.yaml',
    'charts/todo-backend/package.json',
    'test/package.json',
    'test/e2e/app.test.ts',
    'scripts/package.json',
    'scripts/deploy.mjs',
    'scripts/lib/docker.mjs',
    'docs/contracts.md',
    'apps/backend/Dockerfile',
  ])('keeps out %s', (file) => {
    expect(inContext(file)).toBe(false);
  });

  it('has no `!` exception (with one, Docker walks every excluded folder, node_modules included, on each build)', () => {
    const rules = fs
      .readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(rules.filter((l) => l.startsWith('!'))).toEqual([]);
  });
});

describe('contextCopySources', () => {
  it('lists COPY/ADD sources from the context, not --from stages or the whole context', () => {
    const text = [
      'FROM x AS a',
      'COPY . .',
      'COPY --from=a /out/ ./',
      'COPY tsconfig.base.json ./',
      'COPY --chown=1000:1000 a.txt \\',
      '     b.txt /dest/',
      'ADD ./c.tar /x/',
    ].join('\n');
    expect(contextCopySources(text)).toEqual(['a.txt', 'b.txt', 'c.tar', 'tsconfig.base.json']);
  });

  it('the app Dockerfiles copy nothing besides the pruned workspace (the shared config is a package)', () => {
    for (const app of ['backend', 'frontend']) {
      const text = fs.readFileSync(path.join(REPO_ROOT, `apps/${app}/Dockerfile`), 'utf8');
      expect(contextCopySources(text), app).toEqual([]);
    }
  });
});

describe('the app Dockerfiles', () => {
  const workspaceStages = (app: string) => {
    const text = fs.readFileSync(path.join(REPO_ROOT, `apps/${app}/Dockerfile`), 'utf8');
    const start = text.indexOf('# ── workspace stages');
    const end = text.indexOf('# ── end of the workspace stages');
    expect(start, app).toBeGreaterThan(0);
    expect(end, app).toBeGreaterThan(start);
    return { text, stages: text.slice(start, end) };
  };

  it('share the workspace stages word for word (Docker has no include)', () => {
    const backend = workspaceStages('backend');
    const frontend = workspaceStages('frontend');
    expect(frontend.stages).toBe(backend.stages);
    // the only difference the stages see is the app they prune for
    expect(backend.text).toMatch(/^ARG APP=backend$/m);
    expect(frontend.text).toMatch(/^ARG APP=frontend$/m);
    expect(backend.stages).toMatch(/RUN turbo prune "\$\{APP\}" --docker/);
  });
});

describe('listFiles and sha256', () => {
  it('lists nested files sorted, relative, POSIX', async () => {
    const d = tmp();
    fs.mkdirSync(path.join(d, 'b/c'), { recursive: true });
    fs.writeFileSync(path.join(d, 'b/c/z.txt'), 'z');
    fs.writeFileSync(path.join(d, 'a.txt'), 'a');
    expect(await listFiles(d)).toEqual(['a.txt', 'b/c/z.txt']);
    expect(sha256('a')).toBe('ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb');
  });
});

describe('scripts/image.mjs arguments', () => {
  it('takes the app and options', () => {
    expect(parseImageArgs(['backend', '--dry-run'], {})).toMatchObject({
      app: 'backend',
      dryRun: true,
      force: false,
    });
    expect(parseImageArgs(['frontend', '--node-image', 'x:1'], {})).toMatchObject({
      app: 'frontend',
      nodeImage: 'x:1',
    });
    expect(parseImageArgs(['frontend'], { NODE_IMAGE: 'y:2' })).toMatchObject({ nodeImage: 'y:2' });
    expect(parseImageArgs(['--help'], {})).toBeNull();
  });

  it('rejects a missing or unknown app and unknown options with a hint', () => {
    expect(() => parseImageArgs([], {})).toThrow(/missing argument <app>/);
    expect(() => parseImageArgs(['db'], {})).toThrow(/unknown app "db"/);
    expect(() => parseImageArgs(['backend', '--nope'], {})).toThrow(/unknown option --nope/);
  });

  it('names repositories todo-<app>, with an optional prefix', () => {
    expect(repositoryOf('backend', {})).toBe('todo-backend');
    expect(repositoryOf('frontend', { IMAGE_REPOSITORY_PREFIX: 'local/' })).toBe('local/todo-frontend');
    expect(parseImageArgs(['frontend'], { IMAGE_REPOSITORY_PREFIX: 'p/' })?.repository).toBe(
      'p/todo-frontend',
    );
  });

  it('reads IMAGE_REPOSITORY_PREFIX from .env like the other pipeline scripts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-env-'));
    try {
      fs.writeFileSync(path.join(dir, '.env'), 'IMAGE_REPOSITORY_PREFIX=from-dotenv/\n');
      const r = await run(
        process.execPath,
        [path.join(REPO_ROOT, 'scripts/image.mjs'), 'frontend', '--print'],
        {
          env: { ...process.env, DOTENV_PATH: path.join(dir, '.env'), IMAGE_REPOSITORY_PREFIX: '' },
        },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout.trim()).toMatch(/^from-dotenv\/todo-frontend:[0-9a-f]{12}$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--dry-run builds and writes nothing, and says what it would do', async () => {
    const tagFile = path.join(REPO_ROOT, 'apps/backend/.image/tag');
    const before = fs.existsSync(tagFile) ? fs.readFileSync(tagFile, 'utf8') : null;
    const r = await run(process.execPath, [
      path.join(REPO_ROOT, 'scripts/image.mjs'),
      'backend',
      '--dry-run',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/would (build|write)|already in the engine/);
    expect(r.stdout.trim()).toMatch(/^todo-backend:[0-9a-f]{12}$/);
    expect(fs.existsSync(tagFile) ? fs.readFileSync(tagFile, 'utf8') : null).toBe(before);
  });

  it('--print gives the same reference twice (the hash is stable)', async () => {
    const a = await run(process.execPath, [path.join(REPO_ROOT, 'scripts/image.mjs'), 'frontend', '--print']);
    const b = await run(process.execPath, [path.join(REPO_ROOT, 'scripts/image.mjs'), 'frontend', '--print']);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(a.stdout.trim()).toMatch(/^todo-frontend:[0-9a-f]{12}$/);
    expect(b.stdout).toBe(a.stdout);
  });
});

describe('scripts/base-images.mjs helpers', () => {
  it("builds the PostgreSQL stand-in with the major version of the chart's default image", () => {
    const values = YAML.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'charts/todo-postgres/values.yaml'), 'utf8'),
    );
    const chartMajor = Number.parseInt(String(values.image.tag), 10);
    expect(`${values.image.repository}:${values.image.tag}`).toBe(IMAGES.postgres.official);
    expect(chartMajor).toBe(IMAGES.postgres.major);
    expect(IMAGES.postgres.standIn).toMatch(new RegExp(`:${IMAGES.postgres.major}-`));
  });

  it('picks the highest version in a range', () => {
    const versions = ['23.9.0', '24.2.0', '24.10.1', '24.9.9', '25.0.0', '24.10.0-rc.1'];
    expect(pickVersion(versions, '24')).toBe('24.10.1');
    expect(pickVersion(versions, '24.9')).toBe('24.9.9');
    expect(pickVersion(versions, '26')).toBeUndefined();
  });

  it('parses options', () => {
    expect(parseBaseArgs(['--only', 'node', '--force'])).toMatchObject({
      only: ['node'],
      force: true,
      pull: true,
    });
    expect(parseBaseArgs(['--no-pull'])).toMatchObject({ only: ['node', 'postgres'], pull: false });
    expect(() => parseBaseArgs(['--only', 'redis'])).toThrow(/expected node or postgres/);
    expect(parseBaseArgs(['-h'])).toBeNull();
  });

  it('adds a user and group to a root filesystem, refusing duplicates', async () => {
    const root = tmp();
    fs.mkdirSync(path.join(root, 'etc'));
    fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
    fs.writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\n');
    const user = { name: 'node', uid: 1000, gid: 1000, home: '/home/node', shell: '/bin/bash', gecos: '' };
    await addUser(root, user);
    expect(fs.readFileSync(path.join(root, 'etc/passwd'), 'utf8')).toContain(
      'node:x:1000:1000::/home/node:/bin/bash',
    );
    expect(fs.readFileSync(path.join(root, 'etc/group'), 'utf8')).toContain('node:x:1000:');
    await expect(addUser(root, user)).rejects.toThrow(/already has node/);
  });
});
