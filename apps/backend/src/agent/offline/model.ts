import { randomUUID } from 'node:crypto';
import {
  type Model,
  type ModelRequest,
  type ModelResponse,
  type StreamEvent,
  Usage,
} from '@openai/agents-core';
import { readTurns } from './conversation.js';
import { type Clock, isTimeZone } from './dates.js';
import { nextStep, type Step } from './plan.js';

/**
 * The built-in offline model: a deterministic implementation of the Agents SDK's Model interface.
 * It reads the conversation (conversation.ts), understands the last message (parse.ts) and decides
 * one tool call at a time (plan.ts), answering in plain sentences once the tools have run.
 *
 * The user's time zone comes from the system instructions ("The user's time zone is X."), which
 * the chat service writes when the client sent one; without it dates are read in UTC.
 */

const TIME_ZONE = /time zone is ([A-Za-z0-9_+\-/]{1,64})\./;

export function timeZoneOf(instructions: string | undefined): string {
  const tz = instructions ? TIME_ZONE.exec(instructions.slice(0, 4000))?.[1] : undefined;
  return tz && isTimeZone(tz) ? tz : 'UTC';
}

export class OfflineModel implements Model {
  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** The decision for a request (exported for tests and the evaluation corpus). */
  decide(request: Pick<ModelRequest, 'input' | 'systemInstructions'>): Step {
    const clock: Clock = { now: this.clock(), timeZone: timeZoneOf(request.systemInstructions) };
    return nextStep(readTurns(request.input), clock);
  }

  private respond(request: ModelRequest): ModelResponse['output'] {
    const step = this.decide(request);
    if ('call' in step) {
      return [
        {
          type: 'function_call',
          callId: `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
          name: step.call,
          arguments: JSON.stringify(step.args),
          status: 'completed',
        },
      ];
    }
    return [
      {
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: step.say }],
      },
    ];
  }

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    return { usage: new Usage(), output: this.respond(request), responseId: `offline_${randomUUID()}` };
  }

  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    const output = this.respond(request);
    const id = `offline_${randomUUID()}`;
    yield { type: 'response_started' };
    for (const item of output) {
      if (item.type === 'message' && item.role === 'assistant') {
        for (const part of item.content) {
          if (part.type !== 'output_text') continue;
          // Stream line by line, as a remote model streams tokens.
          for (const chunk of part.text.split(/(?<=\n)/)) yield { type: 'output_text_delta', delta: chunk };
        }
      }
    }
    yield {
      type: 'response_done',
      response: { id, usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, output: output as never },
    };
  }
}
