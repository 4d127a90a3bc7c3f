// The tool registry against the public MCP contract: the backend defines and serves exactly the
// task tools that @todo/contracts names, once each (the tests of the agent and of /mcp compare
// what they are offered with the same list).
import { TASK_TOOL_NAMES } from '@todo/contracts';
import { describe, expect, it } from 'vitest';
import { taskTools } from '../src/mcp/tools/index.js';

describe('task tool registry', () => {
  it('registers exactly the contract’s TASK_TOOL_NAMES, each once', () => {
    expect(taskTools.map((tool) => tool.name).sort()).toEqual(TASK_TOOL_NAMES);
  });
});
