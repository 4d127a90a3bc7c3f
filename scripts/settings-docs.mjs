#!/usr/bin/env node
// @ts-check
// Writes the documents generated from the settings registry (scripts/lib/settings.mjs):
// .env.example, the README's configuration table, the short table of docs/deployment.md.
// --check changes nothing and exits 1 when one of them is out of date (test/foundation checks too).
import fs from 'node:fs';
import path from 'node:path';
import { EXIT } from './lib/errors.mjs';
import { runScript } from './lib/main.mjs';
import { REPO_ROOT } from './lib/repo.mjs';
import { GENERATED } from './lib/settings-docs.mjs';

await runScript(
  {
    name: 'settings-docs',
    summary: 'write .env.example and the configuration tables from scripts/lib/settings.mjs',
    usage: 'node scripts/settings-docs.mjs [--check]',
    options: { check: { type: 'boolean', description: 'write nothing; exit 1 when a file is out of date' } },
    examples: ['node scripts/settings-docs.mjs'],
  },
  async ({ cli, log }) => {
    let stale = 0;
    for (const [rel, render] of Object.entries(GENERATED)) {
      const file = path.join(REPO_ROOT, rel);
      const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      const want = render(current);
      if (want === current) log.ok(`${rel}: up to date`);
      else if (cli.values.check || cli.dryRun) {
        stale++;
        log.problem(`${rel} is out of date: run \`node scripts/settings-docs.mjs\``);
      } else {
        fs.writeFileSync(file, want);
        log.ok(`${rel}: written`);
      }
    }
    return stale ? EXIT.ERROR : EXIT.OK;
  },
);
