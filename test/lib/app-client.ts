/**
 * A browser-like client of the app through the frontend's origin: it sends the `Origin` header a
 * browser would, keeps the session cookies the proxy passes back, and never follows redirects.
 * Shared by the container and cluster suites.
 */
export class AppClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly origin: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async request(
    method: string,
    pathname: string,
    body?: unknown,
    timeoutMs = this.timeoutMs,
  ): Promise<Response> {
    const headers: Record<string, string> = { origin: this.origin, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.origin}${pathname}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return res;
  }

  /** Sends a request and parses the JSON answer; throws with the status and body when the status differs. */
  async json<T>(method: string, pathname: string, body?: unknown, expectStatus = 200): Promise<T> {
    const res = await this.request(method, pathname, body);
    const text = await res.text();
    if (res.status !== expectStatus)
      throw new Error(`${method} ${pathname} → ${res.status}: ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
