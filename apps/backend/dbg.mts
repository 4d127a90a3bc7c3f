import { checkSync } from 'recheck';
const pats: [string, string][] = [
 [String.raw`(?:^|[\s,;])(?:and\s+)?(?:(?:it'?s|its|it is|make it|mark it|set it|with|as|at|of)\s+)?(?:(?:a|an)\s+)?(high|higher|top|highest|low|lower|lowest|medium|normal|mid)(?:\s*-\s*|\s+)prio(?:rity)?(?:\s+(?:task|item|one))?(?=$|[\s,;.!?])`, 'i'],
];
for (const [p, f] of pats) for (const checker of ['automaton', 'fuzz', 'hybrid'] as const) for (const seed of [1, 17, 99]) {
  const r = checkSync(p, f, { checker, randomSeed: seed, timeout: 10000 } as never);
  console.log(checker, seed, r.status, (r as { complexity?: { summary: string } }).complexity?.summary);
}
