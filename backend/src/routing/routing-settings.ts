import { ConfigError } from '../config/config-error';

/** How the router retries, waits and falls back (instance-wide; a call may bring its own fallbacks). */
export interface RoutingSettings {
  /** Attempts per model, the first included (`SIGHTLINE_MAX_ATTEMPTS`, default 3). */
  readonly maxAttempts: number;
  /** First backoff delay; doubles per retry up to {@link maxDelayMs}, minus up to 25 % jitter. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** The longest `retry-after` worth waiting for; a longer one moves on to another key or model. */
  readonly maxRetryAfterMs: number;
  /** Whole call, connect to last byte, retries included (`SIGHTLINE_TIMEOUT_MS`, default 10 min). */
  readonly totalTimeoutMs: number;
  /** Until the first token, or a non-streamed answer (`SIGHTLINE_FIRST_TOKEN_TIMEOUT_MS`, default 5 min). */
  readonly firstTokenTimeoutMs: number;
  /** Requested model name (or catalog id) → models to try next, in order (`SIGHTLINE_FALLBACKS`). */
  readonly fallbacks: Readonly<Record<string, readonly string[]>>;
}

export const DEFAULT_ROUTING: RoutingSettings = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  totalTimeoutMs: 600_000,
  firstTokenTimeoutMs: 300_000,
  fallbacks: {},
};

/** Routing settings from the environment; throws `ConfigError` naming a malformed variable. */
export function parseRoutingSettings(env: NodeJS.ProcessEnv): RoutingSettings {
  const d = DEFAULT_ROUTING;
  return {
    maxAttempts: positive(env, 'SIGHTLINE_MAX_ATTEMPTS', d.maxAttempts),
    baseDelayMs: positive(env, 'SIGHTLINE_RETRY_BASE_MS', d.baseDelayMs),
    maxDelayMs: positive(env, 'SIGHTLINE_RETRY_MAX_MS', d.maxDelayMs),
    maxRetryAfterMs: positive(env, 'SIGHTLINE_MAX_RETRY_AFTER_MS', d.maxRetryAfterMs),
    totalTimeoutMs: positive(env, 'SIGHTLINE_TIMEOUT_MS', d.totalTimeoutMs),
    firstTokenTimeoutMs: positive(env, 'SIGHTLINE_FIRST_TOKEN_TIMEOUT_MS', d.firstTokenTimeoutMs),
    fallbacks: fallbacks(env.SIGHTLINE_FALLBACKS),
  };
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** `{"gpt-4o": ["claude-sonnet-4-5", "gemini-2.5-pro"]}` */
function fallbacks(raw: string | undefined): Record<string, readonly string[]> {
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('SIGHTLINE_FALLBACKS must be JSON: {"model": ["fallback", ...]}');
  }
  const valid =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every(
      (list) => Array.isArray(list) && list.every((m) => typeof m === 'string' && m),
    );
  if (!valid) throw new ConfigError('SIGHTLINE_FALLBACKS must map model names to arrays of model names');
  return parsed as Record<string, readonly string[]>;
}
