import type { LogLevel } from '@nestjs/common';
import { isAbsolute, join, resolve } from 'node:path';
import { parseEnvCredentials, type EnvCredentials } from '../providers/env-credentials';
import { parseRoutingSettings, type RoutingSettings } from '../routing/routing-settings';
import { ConfigError } from './config-error';

export type Role = 'api' | 'projector';

/** Everything configurable, read once from the environment. Injected by class. */
export class AppConfig {
  readonly production: boolean;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** Set → Kafka; unset → the embedded lmdb log under `dataDir`. */
  readonly kafkaBrokers: readonly string[] | undefined;
  /** The embedded log's folder (`EVENT_LOG_DIR`, default `<dataDir>/eventlog`): processes with their own chDB may share it. */
  readonly eventLogDir: string;
  /**
   * `EVENT_PARTITIONS`: partitions of the LLM topics when Sightline creates them. Kafka: 6, its
   * unit of scale-out. Embedded: 1. One process projects every partition in turn, a batch and a
   * ClickHouse part per table each, so one partition makes batches as large as all six together:
   * ~30 % less projection CPU per span and ~40 % more spans/s in the ingestion bench.
   */
  readonly llmPartitions: number;
  /** Set → ClickHouse server; unset → chDB under `dataDir`. */
  readonly clickhouseUrl: string | undefined;
  readonly clickhouseDatabase: string;
  readonly clickhouseUser: string | undefined;
  readonly clickhousePassword: string | undefined;
  readonly roles: ReadonlySet<Role>;
  /** Built UI to serve at `/`; none → API only. */
  readonly uiDir: string | undefined;
  readonly mockTokenIntervalMs: number;
  /** Provider credentials of the instance (`OPENAI_API_KEY`, `ANTHROPIC_API_KEY`...): see env-credentials. */
  readonly providerCredentials: EnvCredentials;
  /** Retries, timeouts and fallbacks of the gateway's router (`SIGHTLINE_MAX_ATTEMPTS`...). */
  readonly routing: RoutingSettings;
  readonly gatewayMaxBodyBytes: number;
  /**
   * How long the projector waits for a batch to fill before inserting a short one (ms): each insert
   * makes a part per ClickHouse table, so under load fewer, larger batches cost far less CPU.
   * New events are queryable after about this long.
   */
  readonly projectorLingerMs: number;
  /** `PROJECTOR_GROUP_SUFFIX`: appended to the projector's consumer groups (a projector of its own on a shared broker). */
  readonly projectorGroupSuffix: string | undefined;
  /**
   * `PROJECTOR_THREAD=1` with both roles: the projector runs on a worker thread of this process, so
   * projecting batches never holds up the gateway's event loop. `main` turns it on unless `=0`.
   */
  readonly projectorThread: boolean;
  readonly logLevels: readonly LogLevel[];
  readonly gatewayRateLimitRps: number;
  /** How long refused gateway requests are counted before they are recorded: 1 ms to 1 minute. */
  readonly gatewayRefusalWindowMs: number;
  readonly apiRateLimitRps: number;
  /** The admin created on first start. */
  readonly adminEmail: string;
  /** How users reach this instance: used in printed links. */
  readonly publicUrl: string;
  /** Express `trust proxy` (e.g. `loopback` or a hop count) when a proxy terminates TLS. */
  readonly trustProxy: string | undefined;
  /** `SIGHTLINE_SECRET_KEY`: master key for secrets at rest and session signing. */
  readonly secretKey: string | undefined;
  /**
   * A generation whose end never arrived (its process died) is shown as interrupted once its request
   * is this old. Longer than the provider timeout (10 min), so a call still in flight never is.
   */
  readonly interruptedAfterMs: number;
  /**
   * `RESTATEMENT_MAX_GENERATIONS_PER_SECOND`: a restatement re-prices at most this many generations a
   * second (0, the default: as fast as it can), leaving ClickHouse room for live traffic.
   */
  readonly restatementMaxGenerationsPerSecond: number;
  /** `DEBUG_STACK_TRACES=1`, development only: GraphQL errors carry their server stack trace. */
  readonly debugStackTraces: boolean;
  /** `SIGHTLINE_BENCH_NO_PRICING=1`, benchmarks only: nothing is priced (see `NoPricing`). */
  readonly benchNoPricing: boolean;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {
    this.production = env.NODE_ENV === 'production';
    this.host = env.HOST ?? '0.0.0.0';
    this.port = int(env.PORT, 3000, 'PORT');
    this.dataDir = resolve(env.DATA_DIR ?? 'data');
    this.kafkaBrokers = env.KAFKA_BROKERS ? env.KAFKA_BROKERS.split(',').map((b) => b.trim()) : undefined;
    this.eventLogDir = env.EVENT_LOG_DIR ? resolve(env.EVENT_LOG_DIR) : join(this.dataDir, 'eventlog');
    this.llmPartitions = int(env.EVENT_PARTITIONS, this.kafkaBrokers ? 6 : 1, 'EVENT_PARTITIONS');
    this.clickhouseUrl = env.CLICKHOUSE_URL || undefined;
    this.clickhouseDatabase = env.CLICKHOUSE_DATABASE ?? 'default';
    this.clickhouseUser = env.CLICKHOUSE_USER;
    this.clickhousePassword = env.CLICKHOUSE_PASSWORD;
    this.roles = roles(env.SIGHTLINE_ROLES ?? 'api,projector');
    this.uiDir = uiDir(env.SIGHTLINE_UI_DIR);
    this.mockTokenIntervalMs = int(env.MOCK_TOKEN_INTERVAL_MS, 20, 'MOCK_TOKEN_INTERVAL_MS');
    this.providerCredentials = parseEnvCredentials(env);
    this.routing = parseRoutingSettings(env);
    this.gatewayMaxBodyBytes = int(env.GATEWAY_MAX_BODY_BYTES, 4 * 1024 * 1024, 'GATEWAY_MAX_BODY_BYTES');
    this.projectorLingerMs = int(env.PROJECTOR_LINGER_MS, 200, 'PROJECTOR_LINGER_MS');
    this.projectorGroupSuffix = env.PROJECTOR_GROUP_SUFFIX || undefined;
    this.projectorThread =
      flag(env.PROJECTOR_THREAD, 'PROJECTOR_THREAD') && this.roles.has('api') && this.roles.has('projector');
    this.logLevels = logLevels(env.LOG_LEVEL ?? 'log');
    this.gatewayRateLimitRps = int(env.GATEWAY_RATE_LIMIT_RPS, 200, 'GATEWAY_RATE_LIMIT_RPS');
    this.gatewayRefusalWindowMs = int(env.GATEWAY_REFUSAL_WINDOW_MS, 10_000, 'GATEWAY_REFUSAL_WINDOW_MS');
    if (this.gatewayRefusalWindowMs < 1 || this.gatewayRefusalWindowMs > 60_000)
      throw new ConfigError('GATEWAY_REFUSAL_WINDOW_MS must be between 1 and 60000');
    this.apiRateLimitRps = int(env.API_RATE_LIMIT_RPS, 50, 'API_RATE_LIMIT_RPS');
    this.adminEmail = env.SIGHTLINE_ADMIN_EMAIL ?? 'admin@sightline.local';
    this.trustProxy = env.TRUST_PROXY || undefined;
    this.secretKey = env.SIGHTLINE_SECRET_KEY || undefined;
    this.interruptedAfterMs = int(
      env.GENERATION_INTERRUPTED_AFTER_MS,
      11 * 60_000,
      'GENERATION_INTERRUPTED_AFTER_MS',
    );
    this.restatementMaxGenerationsPerSecond = int(
      env.RESTATEMENT_MAX_GENERATIONS_PER_SECOND,
      0,
      'RESTATEMENT_MAX_GENERATIONS_PER_SECOND',
    );
    this.debugStackTraces = debugStackTraces(env.DEBUG_STACK_TRACES, this.production);
    this.benchNoPricing = flag(env.SIGHTLINE_BENCH_NO_PRICING, 'SIGHTLINE_BENCH_NO_PRICING');
    this.publicUrl = (env.PUBLIC_URL ?? `http://localhost:${this.port}`).replace(/\/$/, '');
  }

  get embedded(): boolean {
    return !this.kafkaBrokers;
  }

  /** The same settings for the projector's own thread: that role only, on that thread. */
  projectorThreadEnv(): NodeJS.ProcessEnv {
    return { ...this.env, SIGHTLINE_ROLES: 'projector', PROJECTOR_THREAD: '0' };
  }
}

export { ConfigError };

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new ConfigError(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function roles(value: string): ReadonlySet<Role> {
  const list = value.split(',').map((r) => r.trim());
  const bad = list.filter((r) => r !== 'api' && r !== 'projector');
  if (bad.length)
    throw new ConfigError(`SIGHTLINE_ROLES: unknown role(s) ${bad.join(', ')}; use api,projector`);
  return new Set(list as Role[]);
}

/** The built frontend ships beside the backend in the monorepo. */
function uiDir(value: string | undefined): string | undefined {
  if (value === '') return undefined;
  if (value) return isAbsolute(value) ? value : resolve(value);
  return join(__dirname, '..', '..', '..', 'frontend', 'build');
}

/** Stack traces name server files and code paths: never sent to callers in production. */
function flag(value: string | undefined, name: string): boolean {
  if (!value || value === '0') return false;
  if (value !== '1') throw new ConfigError(`${name} must be 0 or 1, got "${value}"`);
  return true;
}

function debugStackTraces(value: string | undefined, production: boolean): boolean {
  if (!flag(value, 'DEBUG_STACK_TRACES')) return false;
  if (production)
    throw new ConfigError('DEBUG_STACK_TRACES=1 is for development; unset it with NODE_ENV=production');
  return true;
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** `LOG_LEVEL=warn` → fatal, error and warn. */
function logLevels(value: string): LogLevel[] {
  const index = LEVELS.indexOf(value as LogLevel);
  if (index < 0) throw new ConfigError(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got "${value}"`);
  return LEVELS.slice(0, index + 1);
}
