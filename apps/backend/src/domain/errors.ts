/**
 * What the domain layer can refuse, in its own terms. The HTTP edge maps these to problem
 * details (http/problem.ts), the MCP edge to tool errors (mcp/server.ts); the domain knows neither.
 */
export abstract class DomainError extends Error {
  /** Stable machine-readable code, shown to clients. */
  abstract readonly code: string;
}

/** The thing does not exist, or belongs to someone else (the two are never told apart). */
export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  constructor(readonly what: 'task' | 'conversation' | 'thread' | 'mcp key') {
    super(`${what} not found`);
  }
}

/** Input that passed the schema but cannot be used, e.g. a list cursor of another sort. */
export class InvalidInputError extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    readonly errors?: { path: string; message: string }[],
  ) {
    super(message);
  }
}
