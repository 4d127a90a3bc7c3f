// Parsers for the parts of README.md and .env.example that the foundation tests hold to account.

/** The commands in the README's "Quick start" section: every non-comment line of its code blocks. */
export function quickStartCommands(readme: string): string[] {
  const section = readme.split(/^## /m).find((part) => /^Quick start/i.test(part));
  if (!section) return [];
  const blocks = [...section.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  return blocks.flatMap((block) =>
    block
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
}

/** Variable names documented in .env.example: every `NAME=` it mentions, commented out or not. */
export function envExampleVariables(text: string): string[] {
  return [...new Set([...text.matchAll(/\b([A-Z][A-Z0-9_]*)=/g)].map((match) => match[1] ?? ''))].sort();
}

/** Variable names in the README's configuration table (first column, in backticks). */
export function readmeConfigVariables(readme: string): string[] {
  const section = readme.split(/^## /m).find((part) => /^Configuration/i.test(part)) ?? '';
  return [...section.matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/gm)].map((match) => match[1] ?? '').sort();
}
