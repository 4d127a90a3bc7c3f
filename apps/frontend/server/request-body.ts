import type { IncomingMessage, ServerResponse } from 'node:http';

// Request bodies: read whole before anything is forwarded, at most the limit (BODY_LIMIT, the
// backend's own); over it, a 413 in the backend's problem shape, and the connection kept usable.

/** After refusing a body, how long the client may go on sending it (discarded) before it is disconnected. */
const LINGER_MS = 5000;

/** Headers of every answer the proxy writes itself (the backend's answers carry their own). */
const OWN_ANSWER_HEADERS = {
  'content-type': 'application/problem+json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

/** An RFC 9457 problem in the backend's shape (apps/backend/src/http/problem.ts), so either door answers alike. */
export function problemJson(status: number, code: string, title: string, detail: string): string {
  return JSON.stringify({
    type: `https://todo-chatbot.dev/problems/${code.replace(/_/g, '-')}`,
    title,
    status,
    detail,
    code,
  });
}

export function sendProblem(
  res: ServerResponse,
  status: number,
  code: string,
  title: string,
  detail: string,
  close = false,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = problemJson(status, code, title, detail);
  res.writeHead(status, {
    ...OWN_ANSWER_HEADERS,
    'content-length': Buffer.byteLength(body),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(body);
}

type BodyResult = { kind: 'body'; body: Buffer } | { kind: 'too-large' } | { kind: 'gone' };

/** Reads a request body of at most `limit` bytes; stops reading at the first byte over it. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'body', body: Buffer.concat(chunks, size) });
    const onClose = () => finish({ kind: 'gone' });
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.once('error', onClose);
  });
}

/**
 * 413 before anything is forwarded. The rest of the body is never buffered nor forwarded, only
 * discarded as it arrives, so the connection stays usable for the client's next request; a
 * client that has not finished sending LINGER_MS after the answer is disconnected. With
 * `close` (the client waits for 100 Continue and has sent nothing) the connection is closed
 * after the answer instead, since the body it announced will never come.
 */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse, close = false): void {
  if (!close)
    res.once('finish', () => {
      if (req.complete) return;
      req.resume();
      const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
      timer.unref();
      req.once('end', () => clearTimeout(timer));
      req.socket.once('close', () => clearTimeout(timer));
    });
  sendProblem(res, 413, 'payload_too_large', 'Payload Too Large', 'request body is too large', close);
}

/** A request's declared body length, when it declares one that is already over the limit. */
export function declaredTooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) > limit;
}
