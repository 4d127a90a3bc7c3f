/** Better Auth names its session cookie `<prefix>.session_token`, with `__Secure-` on HTTPS. */
export function hasSessionCookie(names: Iterable<string>): boolean {
  for (const name of names) {
    if (/(^|\.)session_token$/.test(name)) return true;
  }
  return false;
}
