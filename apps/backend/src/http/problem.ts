import type { Problem } from '@todo/contracts';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError, InvalidInputError, NotFoundError } from '../domain/errors.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An error of the HTTP layer that maps to one problem response (the domain throws DomainError). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly errors?: { path: string; message: string }[],
  ) {
    super(detail);
  }
}

export function problem(status: number, code: string, detail: string, errors?: Problem['errors']): Problem {
  return {
    type: `https://todo-chatbot.dev/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(p));
}

/** The status of each domain refusal; anything else the domain throws is a 500. */
function domainProblem(err: DomainError): Problem {
  if (err instanceof NotFoundError) return problem(404, err.code, err.message);
  if (err instanceof InvalidInputError) return problem(400, err.code, err.message, err.errors);
  return problem(400, err.code, err.message);
}

function toProblem(err: FastifyError & { validation?: unknown }): Problem {
  if (err instanceof HttpProblem) return problem(err.status, err.code, err.message, err.errors);
  if (err instanceof DomainError) return domainProblem(err);
  if (hasZodFastifySchemaValidationErrors(err)) {
    const context = (err as { validationContext?: string }).validationContext ?? 'request';
    const errors = err.validation.map((v) => ({
      path: [
        context,
        ...String(v.instancePath ?? '')
          .split('/')
          .filter(Boolean),
      ].join('.'),
      message: v.message ?? 'invalid',
    }));
    return problem(400, 'validation_error', `invalid ${context}`, errors);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'payload_too_large', 'request body is too large');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'invalid_json', 'request body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem(415, 'unsupported_media_type', 'send the body as application/json');
    case 'FST_ERR_RATE_LIMIT':
      return problem(429, 'rate_limited', 'too many requests, slow down');
  }
  if (err instanceof SyntaxError && err.statusCode === 400) {
    return problem(400, 'invalid_json', 'request body is not valid JSON');
  }
  if (err.validation) return problem(400, 'validation_error', err.message);
  const status = err.statusCode ?? 500;
  if (status === 429) return problem(429, 'rate_limited', 'too many requests, slow down');
  if (status >= 400 && status < 500) return problem(status, 'bad_request', err.message);
  if (status === 503) return problem(503, 'unavailable', err.message);
  return problem(500, 'internal_error', 'something went wrong on our side');
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const p = toProblem(err);
    if (p.status >= 500 || isResponseSerializationError(err)) {
      request.log.error({ err }, 'request failed');
    } else {
      request.log.info({ code: p.code, detail: p.detail }, 'request rejected');
    }
    return sendProblem(reply, p);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem(404, 'not_found', `no route for ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
}

/**
 * Node's clientError (before any route runs): a request that timed out, or one that is not HTTP.
 * Answered as problem details on the raw socket, then closed.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: import('node:net').Socket): void {
  if (!socket.writable) {
    socket.destroy(err);
    return;
  }
  const timedOut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const p = timedOut
    ? problem(408, 'request_timeout', 'the request did not arrive in time')
    : problem(400, 'bad_request', 'the request is not valid HTTP');
  const body = JSON.stringify(p);
  socket.end(
    `HTTP/1.1 ${p.status} ${p.title}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
