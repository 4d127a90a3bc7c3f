import { TASK_TOOL_NAMES } from '@todo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectModel } from '../src/agent/models.js';
import { readChatTurns } from '../src/agent/offline/conversation.js';
import { timeZoneOf } from '../src/agent/offline/model.js';
import { nextStep } from '../src/agent/offline/plan.js';
import { loadConfig } from '../src/config.js';
import { CASES } from './corpus/cases.js';
import { accuracy, type CaseResult, CORPUS_NOW, CorpusRunner } from './corpus/run.js';
import { startFakeOpenAI } from './helpers/fake-openai.js';

// The same corpus through the OpenAI-compatible path: the Agents SDK's Chat Completions model
// talks HTTP to the fake server, which answers every request with the tool call (or text) the
// offline planner decides from the messages it was sent — the tool calls a model that
// understood the message would make. What this compares: tool schemas as a remote model sees
// them, the SDK's message history (tool results replayed as Chat Completions messages), argument
// validation, MCP and the database give the same final task lists for both assistants.

describe('evaluation corpus through the agent loop and a fake OpenAI-compatible server', () => {
  let runner: CorpusRunner;
  let fake: Awaited<ReturnType<typeof startFakeOpenAI>>;
  const results: CaseResult[] = [];

  beforeAll(async () => {
    fake = await startFakeOpenAI((req) => {
      const system = req.messages.find((m) => m.role === 'system');
      const clock = {
        now: CORPUS_NOW,
        timeZone: timeZoneOf(typeof system?.content === 'string' ? system.content : ''),
      };
      const step = nextStep(readChatTurns(req.messages), clock);
      return 'call' in step ? { tool: step.call, args: step.args } : { text: step.say };
    });
    const config = loadConfig({
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_MODEL: 'fake-model',
      MODEL_TIMEOUT_MS: '10000',
    });
    runner = await CorpusRunner.open(selectModel(config).model);
    for (const c of CASES) results.push(await runner.run(c));
  }, 900_000);
  afterAll(async () => {
    await runner?.close();
    await fake?.close();
  });

  it('offers the model every task tool', () => {
    const names = fake.requests[0]?.tools?.map((t) => t.function.name).sort();
    expect(names).toEqual(TASK_TOOL_NAMES);
  });

  it('leaves the same task lists as the offline model', () => {
    const rows = accuracy(results);
    console.log(
      rows.map((r) => `${r.category.padEnd(16)} ${r.passed}/${r.total} ${r.pct.toFixed(1)}%`).join('\n'),
    );
    const failures = results
      .filter((r) => !r.ok)
      .map(
        (r) => `${r.c.category}: ${r.c.say.join(' ⏎ ')}\n${r.why}\n  replies: ${JSON.stringify(r.replies)}`,
      );
    expect(failures).toEqual([]);
  });
});
