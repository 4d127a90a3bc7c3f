import type { FastifyReply, FastifyRequest } from 'fastify';
import { keepReplyHeaders } from './security-headers.js';

/** Writes one raw server-sent-event frame (`event:`/`data:` lines ending in a blank line). */
export type WriteFrame = (frame: string) => void;

/**
 * Takes the response over as an unbuffered `text/event-stream` and runs `produce` on it.
 * `Cache-Control: no-transform` keeps compression from holding events back; the signal aborts
 * when the client goes away; the stream ends when `produce` settles, after `onError` has written
 * a last frame for a failure. The run is tracked in `openStreams`, so shutdown waits for it.
 */
export async function streamEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  openStreams: Set<Promise<void>>,
  produce: (write: WriteFrame, signal: AbortSignal) => Promise<unknown>,
  onError: (write: WriteFrame) => void,
): Promise<void> {
  keepReplyHeaders(reply);
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
  });
  raw.flushHeaders();

  const abort = new AbortController();
  raw.on('close', () => {
    if (!raw.writableFinished) abort.abort();
  });
  const write: WriteFrame = (frame) => {
    if (!raw.destroyed && !raw.writableEnded) raw.write(frame);
  };
  const run = produce(write, abort.signal)
    .then(() => undefined)
    .catch((err: unknown) => {
      request.log.error({ err }, 'event stream failed');
      onError(write);
    })
    .finally(() => raw.end());
  openStreams.add(run);
  try {
    await run;
  } finally {
    openStreams.delete(run);
  }
}
