import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  stream?: boolean;
  messages: { role: string; content?: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools?: { type: string; function: { name: string; parameters: unknown } }[];
}

export type Reply = { text: string } | { tool: string; args: Record<string, unknown> } | { status: number };

/**
 * A scripted OpenAI-compatible Chat Completions server on 127.0.0.1. `script` sees each request
 * (with the conversation so far) and returns the assistant's next reply: text, a tool call, or
 * an HTTP error status. Streaming and non-streaming responses are both spoken.
 */
export async function startFakeOpenAI(script: (req: ChatRequest, n: number) => Reply, delayMs = 0) {
  const requests: ChatRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', async () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404).end();
        return;
      }
      const parsed = JSON.parse(body) as ChatRequest;
      requests.push(parsed);
      const reply = script(parsed, requests.length);
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      if ('status' in reply) {
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'scripted failure', type: 'server_error' } }));
        return;
      }
      const id = `chatcmpl-${requests.length}`;
      const base = { id, created: 1, model: parsed.model };
      const toolCall =
        'tool' in reply
          ? {
              id: `call_${requests.length}`,
              type: 'function',
              function: { name: reply.tool, arguments: JSON.stringify(reply.args) },
            }
          : undefined;
      const finish = toolCall ? 'tool_calls' : 'stop';
      const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
      if (!parsed.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            ...base,
            object: 'chat.completion',
            choices: [
              {
                index: 0,
                finish_reason: finish,
                message: {
                  role: 'assistant',
                  content: 'text' in reply ? reply.text : null,
                  ...(toolCall ? { tool_calls: [toolCall] } : {}),
                },
              },
            ],
            usage,
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const send = (chunk: unknown) => res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      if (toolCall) {
        send({
          ...base,
          object: 'chat.completion.chunk',
          choices: [
            {
              index: 0,
              delta: { role: 'assistant', tool_calls: [{ index: 0, ...toolCall }] },
              finish_reason: null,
            },
          ],
        });
      } else if ('text' in reply) {
        for (const word of reply.text.match(/\S+\s*/g) ?? []) {
          send({
            ...base,
            object: 'chat.completion.chunk',
            choices: [{ index: 0, delta: { role: 'assistant', content: word }, finish_reason: null }],
          });
        }
      }
      send({
        ...base,
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta: {}, finish_reason: finish }],
        usage,
      });
      res.write('data: [DONE]\n\n');
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
