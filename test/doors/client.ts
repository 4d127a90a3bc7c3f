import http from 'node:http';

// An API client with full control over framing (no body, Content-Length, chunked), a cookie jar,
// and one kept-alive connection, so "the next request on the same connection" means exactly that.

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The problem `code`, when the answer is problem JSON. */
  code: string | undefined;
  json: unknown;
  /** Whether the request went over a connection an earlier request had used. */
  reused: boolean;
}

export interface Send {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** JSON-encoded unless a string or Buffer. */
  body?: unknown;
  /** Send the body with Transfer-Encoding: chunked, in pieces of this many bytes. */
  chunked?: number;
  /** Send neither Content-Length nor Transfer-Encoding (what curl -X DELETE does). */
  noBody?: boolean;
}

function encode(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
}

export class DoorClient {
  readonly cookies = new Map<string, string>();
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    readonly base: string,
    private readonly timeoutMs = 30_000,
  ) {}

  send(init: Send): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
      const body = init.noBody || init.body === undefined ? undefined : encode(init.body);
      if (body && init.body !== undefined && !Buffer.isBuffer(init.body) && typeof init.body !== 'string')
        headers['content-type'] ??= 'application/json';
      if (body && !init.chunked) headers['content-length'] = String(body.length);
      if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const req = http.request(`${this.base}${init.path}`, {
        method: init.method,
        headers,
        agent: this.agent,
        timeout: this.timeoutMs,
      });
      if (!body) {
        req.removeHeader('content-length');
        req.removeHeader('transfer-encoding');
      }
      req.on('timeout', () =>
        req.destroy(new Error(`${init.method} ${init.path}: no answer in ${this.timeoutMs} ms`)),
      );
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          for (const cookie of res.headers['set-cookie'] ?? []) {
            const [pair = ''] = cookie.split(';');
            const eq = pair.indexOf('=');
            if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
          }
          const text = Buffer.concat(chunks).toString();
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          const code = (json as { code?: unknown } | undefined)?.code;
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            json,
            code: typeof code === 'string' ? code : undefined,
            reused: req.reusedSocket,
          });
        });
      });
      if (body && init.chunked) {
        for (let i = 0; i < body.length; i += init.chunked) req.write(body.subarray(i, i + init.chunked));
        req.end();
      } else req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
