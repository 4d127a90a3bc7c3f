// Why the database cannot be used, in plain words: node-postgres' and TLS errors mapped to a stable
// reason code (`pnpm diagnose` turns it into advice) and a sentence naming where the connection
// went. Used by client.ts (Database.explain), hence readiness and the start-up log.

/** Where a connection went, without its password: what the sentences name. */
export interface DatabaseTarget {
  host?: string;
  port?: number;
  user?: string;
  database?: string;
}

/** Where DATABASE_URL points, without its password. */
export function urlTarget(url: string): Required<DatabaseTarget> {
  try {
    const u = new URL(url);
    const host = u.searchParams.get('host') ?? decodeURIComponent(u.hostname);
    return {
      host: host || 'localhost',
      port: Number(u.port || u.searchParams.get('port') || 5432),
      user: decodeURIComponent(u.username) || process.env.USER || '',
      database: decodeURIComponent(u.pathname.slice(1)),
    };
  } catch {
    return { host: '(unparseable url)', port: 5432, user: '', database: '' };
  }
}

/** Where the PG* variables point (node-postgres reads them itself). */
export function envTarget(): Required<DatabaseTarget> {
  return {
    host: process.env.PGHOST ?? 'localhost',
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? process.env.USER ?? '',
    database: process.env.PGDATABASE ?? '',
  };
}

/**
 * Why the database cannot be used: `reason` is a stable code (`pnpm diagnose` turns it into
 * advice), `detail` a sentence an operator reads without knowing node-postgres.
 */
export interface DatabaseProblem {
  reason:
    | 'db_password'
    | 'db_access'
    | 'db_tls_required'
    | 'db_no_tls'
    | 'db_tls_untrusted'
    | 'db_tls_hostname'
    | 'db_tls_expired'
    | 'db_ca_file'
    | 'db_missing'
    | 'db_refused'
    | 'db_dns'
    | 'db_timeout'
    | 'db_error'
    | 'db_unreachable';
  detail: string;
}

const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
]);

/** @param target where the connection went (no password), for the sentences */
export function explainDatabaseError(err: unknown, target: DatabaseTarget): DatabaseProblem {
  // a connection attempt to several addresses (IPv4 and IPv6) fails with all of them
  const e = (err instanceof AggregateError && err.errors[0] ? err.errors[0] : err) as {
    code?: unknown;
    message?: unknown;
    path?: unknown;
  };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = (typeof e?.message === 'string' ? e.message : String(err)).split('\n')[0] ?? '';
  const where = target.host ? `${target.host}:${target.port ?? 5432}` : 'the database server';
  const user = target.user ? ` for user "${target.user}"` : '';
  const problem = (reason: DatabaseProblem['reason'], detail: string): DatabaseProblem => ({
    reason,
    detail,
  });

  if (code === '28P01') return problem('db_password', `the database refused the password${user} (${where})`);
  if (code === '28000') {
    if (/no encryption/i.test(message))
      return problem(
        'db_tls_required',
        `the database at ${where} accepts TLS connections only: add sslmode=verify-full (or require) to DATABASE_URL`,
      );
    return problem('db_access', `the database at ${where} refused the connection: ${message}`);
  }
  if (code === '3D000')
    return problem(
      'db_missing',
      `the database server at ${where} has no database "${target.database ?? ''}"`,
    );
  if (/does not support SSL/i.test(message))
    return problem(
      'db_no_tls',
      `the database at ${where} does not offer TLS, but DATABASE_URL's sslmode asks for it`,
    );
  if (UNTRUSTED.has(code))
    return problem(
      'db_tls_untrusted',
      `the database's TLS certificate is not trusted (${code}): give the backend the CA that signed it (PGSSLROOTCERT; the chart's database.tls.caCert)`,
    );
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return problem(
      'db_tls_hostname',
      `the database's TLS certificate is not valid for ${target.host ?? 'this host'}: ${message}`,
    );
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return problem(
      'db_tls_expired',
      `the database's TLS certificate is outside its validity period (${code})`,
    );
  if ((code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') && typeof e.path === 'string')
    return problem('db_ca_file', `cannot read the CA file ${e.path} (${code})`);
  if (code === 'ECONNREFUSED') return problem('db_refused', `nothing accepts connections at ${where}`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return problem('db_dns', `the database host name ${target.host ?? ''} does not resolve (${code})`);
  if (code === 'ETIMEDOUT' || /timeout/i.test(message))
    return problem('db_timeout', `no answer from the database at ${where} in time`);
  if (/^[0-9A-Z]{5}$/.test(code))
    return problem('db_error', `the database answered with an error: ${message} (SQLSTATE ${code})`);
  return problem('db_unreachable', `database is unreachable (${message || 'unknown error'})`);
}
