import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Config, ConfigError } from '../config.js';

/**
 * BETTER_AUTH_SECRET when set. In production it is required. In development one is generated
 * once and kept in DATA_DIR so sessions survive restarts of `pnpm dev`.
 */
export function resolveAuthSecret(config: Config): string {
  if (config.betterAuthSecret) {
    if (config.isProduction && config.betterAuthSecret.length < 32) {
      throw new ConfigError('BETTER_AUTH_SECRET must be at least 32 characters in production');
    }
    return config.betterAuthSecret;
  }
  if (config.isProduction) {
    throw new ConfigError(
      'BETTER_AUTH_SECRET is not set. With NODE_ENV=production the backend needs a secret of at least ' +
        '32 characters to sign sessions, e.g. `openssl rand -base64 32` (the Helm chart generates one).',
    );
  }
  const file = path.join(config.dataDir, 'auth-secret');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // not there yet
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
