import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Every regular expression in the server's source and the shared contracts, checked for
// super-linear backtracking (ReDoS) by recheck. A pattern recheck calls vulnerable fails the
// build, with the attack string it found; rewrite it (one way to match each text) or avoid it.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIRS = [path.join(root, 'src'), path.join(root, '../../packages/contracts/src')];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

interface Found {
  where: string;
  source: string;
  flags: string;
}

function regexesIn(file: string): Found[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Found[] = [];
  const where = (n: ts.Node) =>
    `${path.relative(root, file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const visit = (n: ts.Node) => {
    if (n.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = n.getText();
      const end = text.lastIndexOf('/');
      out.push({ where: where(n), source: text.slice(1, end), flags: text.slice(end + 1) });
    } else if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'RegExp') {
      const [src, flags] = n.arguments ?? [];
      if (src && ts.isStringLiteralLike(src)) {
        out.push({
          where: where(n),
          source: src.text,
          flags: flags && ts.isStringLiteralLike(flags) ? flags.text : '',
        });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Patterns that are polynomial in theory but never see user input, with the reason. */
const ALLOWED: Record<string, string> = {
  'src/config.ts /\\/+$/': 'trims origins listed in the environment by the operator, never user input',
};

const all = DIRS.flatMap(sourceFiles).flatMap(regexesIn);

describe('regular expressions are safe from catastrophic backtracking', () => {
  it('finds the patterns', () => expect(all.length).toBeGreaterThan(50));

  it('recheck calls none of them vulnerable', () => {
    const vulnerable: string[] = [];
    for (const r of all) {
      const result = checkSync(r.source, r.flags.replace(/[^dgimsuy]/g, ''), {
        timeout: 10_000,
        randomSeed: 17,
      });
      if (result.status === 'vulnerable' && !ALLOWED[`${r.where.split(':')[0]} /${r.source}/${r.flags}`]) {
        vulnerable.push(
          `${r.where} /${r.source}/${r.flags}: ${result.complexity?.summary} (e.g. ${JSON.stringify(result.attack?.string?.slice(0, 80))})`,
        );
      }
    }
    expect(vulnerable).toEqual([]);
  }, 300_000);
});
