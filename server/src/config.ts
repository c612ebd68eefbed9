/**
 * Configuration from the environment, checked once at start with a clear message for each
 * mistake. Every variable is documented in the README.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SERVER_ROLES, type ServerOptions, type ServerRole } from './create-server.ts';

export { SERVER_ROLES, type ServerRole } from './create-server.ts';

import { DEFAULT_RESPONSE_SAMPLE, type ResponseValidation } from './http/app.ts';

export { DEFAULT_RESPONSE_SAMPLE };

import { type ApiKey, parseApiKeys } from './http/auth.ts';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './http/http-limits.ts';
import type { RateLimitPolicy } from './http/rate-limit.ts';
import { type MetricsAccess, parseMetricsAccess } from './observability/metrics.ts';
import { LongrunServerError } from './operations/longrun-server-error.ts';
import { parseSecretKeys } from './push/sealed-secrets.ts';
import { parseOutboundAllow } from './push/ssrf-guard.ts';
import { DEFAULT_DELIVERY_TIMEOUT_MS } from './push/webhook-dispatcher.ts';

/** The settings of one server process. */
export interface ServiceConfig {
  /** `LONGRUN_ROLE`: `api` serves HTTP only, `worker` runs handlers only (no HTTP). @default 'all' */
  role: ServerRole;
  /** `DATABASE_URL`: PostgreSQL instead of SQLite in `dataDir`, shared by any number of processes. */
  databaseUrl: string | undefined;
  /** `LONGRUN_LEASE_MS`: how long a worker holds an operation between renewals. @default 10_000 */
  leaseMs: number;
  /** `LONGRUN_CHANGE_POLL_MS`: PostgreSQL only, the backstop poll for lost change notifications. @default 1_000 */
  changePollMs: number;
  /** @default 3000 */
  port: number;
  /** @default '127.0.0.1' */
  host: string;
  /** @default './.data' (from the working directory) */
  dataDir: string;
  apiKeys: ApiKey[];
  /** Set when no `LONGRUN_API_KEYS` was given: the development key kept in the data directory. */
  developmentKey: string | undefined;
  /** True when this start made the development key; false when it reused the one kept from before. */
  developmentKeyMade: boolean;
  /** @default 1 */
  simulationScale: number;
  /** @default 8 */
  concurrency: number;
  /** `LONGRUN_RETENTION_HOURS`: how long finished monitors are kept; at least 24. @default 24 */
  retentionHours: number;
  /** @default 'info' */
  logLevel: string;
  /** `LONGRUN_METRICS`: who may read `/metrics` (`local`, `off`, `open`, `token:<secret>`). @default 'local' */
  metrics: MetricsAccess;
  /** `LONGRUN_TRACES`: `console` prints each finished span (an OpenTelemetry SDK in this process); `off` none. @default 'off' */
  traces: 'off' | 'console';
  /** @default '*' */
  corsOrigins: '*' | string[];
  /** @default 6000 per 60 s */
  rateLimit: RateLimitPolicy;
  /** `LONGRUN_VALIDATE_RESPONSES`: `log` (send a response that breaks the spec, and log it), `true` (answer 500 instead) or `false`. @default 'log' */
  validateResponses: ResponseValidation;
  /**
   * `LONGRUN_VALIDATE_RESPONSES_SAMPLE`: the share of responses validated, 0–1. @default 0.01 with
   * `log` (a sample: the check costs a fraction of its CPU), 1 with `true` (every response)
   */
  responseSample: number;
  /** `LONGRUN_HEADERS_TIMEOUT_MS`, `LONGRUN_REQUEST_TIMEOUT_MS`, `LONGRUN_KEEP_ALIVE_TIMEOUT_MS`, `LONGRUN_MAX_CONNECTIONS`, `LONGRUN_MAX_HELD_POLLS`. */
  http: HttpLimits;
  /**
   * `LONGRUN_OUTBOUND_ALLOW`: addresses, CIDR ranges and host names callbacks and webhooks may reach
   * although they are not public (e.g. `127.0.0.1`). @default none
   */
  outboundAllow: string[];
  /** `LONGRUN_SECRET_KEY`: keys that encrypt signing secrets at rest (see `PushOptions.secretKey`). @default none */
  secretKey: string | undefined;
  /** `LONGRUN_MAX_EVENT_STREAMS`: most event streams one tenant holds open at once in this process. @default 100 */
  maxEventStreamsPerTenant: number;
  /**
   * `LONGRUN_DELIVERY_LEASE_MS`: how long a process holds a webhook or callback delivery it claimed;
   * a process killed while delivering gives its claims back when this runs out. More than the
   * 10 s a delivery attempt may take. @default 60_000
   */
  deliveryLeaseMs: number;
  /**
   * `LONGRUN_RELEASE_IDLE_MEMORY`: `true` hands the memory grown under load back to the system once
   * the process goes quiet (one collection, see `ServerOptions.releaseIdleMemory`); `false` keeps it.
   * @default true
   */
  releaseIdleMemory: boolean;
}

/** A configuration mistake, reported without a stack trace. */
export class ConfigError extends LongrunServerError {
  override readonly name = 'ConfigError';
  readonly code = 'config-invalid';
}

function number(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  check: (n: number) => boolean,
  rule: string,
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || !check(value)) throw new ConfigError(`${name} must be ${rule}, got "${raw}"`);
  return value;
}

/** The development key kept in the data directory, made on first start and reused after. */
function developmentKey(dataDir: string): { key: string; made: boolean } {
  const file = join(dataDir, 'development-api-key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), made: false };
  mkdirSync(dataDir, { recursive: true });
  const key = `dev_${randomBytes(18).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, made: true };
}

/** Reads the configuration from `env`. @throws {ConfigError} naming the variable that is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const dataDir = resolve(env.LONGRUN_DATA_DIR?.trim() || '.data');
  let apiKeys: ApiKey[];
  let devKey: string | undefined;
  let devKeyMade = false;
  try {
    apiKeys = env.LONGRUN_API_KEYS?.trim() ? parseApiKeys(env.LONGRUN_API_KEYS) : [];
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const secretKey = env.LONGRUN_SECRET_KEY?.trim() || undefined;
  try {
    parseSecretKeys(secretKey ?? '');
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  if (apiKeys.length === 0) {
    ({ key: devKey, made: devKeyMade } = developmentKey(dataDir));
    apiKeys = [{ tenant: 'development', key: devKey }];
  }
  const rate = env.LONGRUN_RATE_LIMIT?.trim();
  let rateLimit: RateLimitPolicy = { limit: 6000, windowSeconds: 60 };
  if (rate) {
    const match = /^(\d+)\/(\d+)$/.exec(rate);
    if (!match) throw new ConfigError(`LONGRUN_RATE_LIMIT must be <requests>/<seconds> like 6000/60, got "${rate}"`);
    rateLimit = { limit: Number(match[1]), windowSeconds: Number(match[2]) };
  }
  const cors = env.LONGRUN_CORS_ORIGINS?.trim();
  const role = env.LONGRUN_ROLE?.trim() || 'all';
  const validateResponses = responseValidation(env.LONGRUN_VALIDATE_RESPONSES);
  if (!(SERVER_ROLES as readonly string[]).includes(role)) {
    throw new ConfigError(`LONGRUN_ROLE must be one of ${SERVER_ROLES.join(', ')}, got "${role}"`);
  }
  const outboundAllow = (env.LONGRUN_OUTBOUND_ALLOW ?? '').split(/[\s,]+/).filter(Boolean);
  try {
    parseOutboundAllow(outboundAllow);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  return {
    role: role as ServerRole,
    databaseUrl,
    leaseMs: number(
      env,
      'LONGRUN_LEASE_MS',
      10_000,
      (n) => Number.isInteger(n) && n >= 100,
      'an integer of at least 100 ms',
    ),
    changePollMs: number(
      env,
      'LONGRUN_CHANGE_POLL_MS',
      1_000,
      (n) => Number.isInteger(n) && n >= 10,
      'an integer of at least 10 ms',
    ),
    port: number(env, 'PORT', 3000, (n) => Number.isInteger(n) && n >= 0 && n < 65536, 'a port number 0–65535'),
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir,
    apiKeys,
    developmentKey: devKey,
    developmentKeyMade: devKeyMade,
    simulationScale: number(env, 'LONGRUN_SIMULATION_SCALE', 1, (n) => n >= 0 && n <= 1000, 'a factor from 0 to 1000'),
    concurrency: number(
      env,
      'LONGRUN_CONCURRENCY',
      8,
      (n) => Number.isInteger(n) && n >= 1 && n <= 1000,
      'an integer 1–1000',
    ),
    // The contract keeps finished monitors, and the idempotency keys deleted with them, a day at least.
    retentionHours: number(env, 'LONGRUN_RETENTION_HOURS', 24, (n) => n >= 24, 'a number of hours, at least 24'),
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    corsOrigins: !cors || cors === '*' ? '*' : cors.split(',').map((origin) => origin.trim()),
    rateLimit,
    validateResponses,
    responseSample: number(
      env,
      'LONGRUN_VALIDATE_RESPONSES_SAMPLE',
      validateResponses === 'log' ? DEFAULT_RESPONSE_SAMPLE : 1,
      (n) => n >= 0 && n <= 1,
      'a number from 0 to 1',
    ),
    http: httpLimits(env),
    outboundAllow,
    secretKey,
    metrics: metricsAccess(env.LONGRUN_METRICS),
    traces: traces(env.LONGRUN_TRACES),
    releaseIdleMemory: onOrOff(env, 'LONGRUN_RELEASE_IDLE_MEMORY', true),
    deliveryLeaseMs: number(
      env,
      'LONGRUN_DELIVERY_LEASE_MS',
      60_000,
      (n) => Number.isInteger(n) && n > DEFAULT_DELIVERY_TIMEOUT_MS,
      `an integer of more than ${DEFAULT_DELIVERY_TIMEOUT_MS} ms (the time a delivery attempt may take)`,
    ),
    maxEventStreamsPerTenant: number(
      env,
      'LONGRUN_MAX_EVENT_STREAMS',
      100,
      (n) => Number.isInteger(n) && n >= 1,
      'a whole number of at least 1',
    ),
  };
}

/** A `true`/`false` setting. @throws {ConfigError} for any other value. */
function onOrOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

/** `LONGRUN_VALIDATE_RESPONSES`: a stored record that breaks the spec must not make reads fail in production. */
function responseValidation(raw: string | undefined): ResponseValidation {
  const value = raw?.trim().toLowerCase() || 'log';
  if (value === 'log') return 'log';
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigError(`LONGRUN_VALIDATE_RESPONSES must be log, true or false, got "${raw}"`);
}

function httpLimits(env: NodeJS.ProcessEnv): HttpLimits {
  const positive = (n: number) => Number.isInteger(n) && n >= 1;
  const rule = 'a positive integer';
  const limits: HttpLimits = {
    headersTimeoutMs: number(env, 'LONGRUN_HEADERS_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.headersTimeoutMs, positive, rule),
    requestTimeoutMs: number(env, 'LONGRUN_REQUEST_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.requestTimeoutMs, positive, rule),
    keepAliveTimeoutMs: number(
      env,
      'LONGRUN_KEEP_ALIVE_TIMEOUT_MS',
      DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs,
      positive,
      rule,
    ),
    maxConnections: number(env, 'LONGRUN_MAX_CONNECTIONS', DEFAULT_HTTP_LIMITS.maxConnections, positive, rule),
    maxHeldPollsPerTenant: number(
      env,
      'LONGRUN_MAX_HELD_POLLS',
      DEFAULT_HTTP_LIMITS.maxHeldPollsPerTenant,
      positive,
      rule,
    ),
  };
  // Node refuses a headers timeout longer than the request's: the headers are part of the request.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError(
      `LONGRUN_HEADERS_TIMEOUT_MS (${limits.headersTimeoutMs}) must not exceed LONGRUN_REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs})`,
    );
  }
  return limits;
}

function metricsAccess(raw: string | undefined): MetricsAccess {
  try {
    return parseMetricsAccess(raw);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function traces(raw: string | undefined): 'off' | 'console' {
  const value = raw?.trim() || 'off';
  if (value !== 'off' && value !== 'console')
    throw new ConfigError(`LONGRUN_TRACES must be off or console, got "${value}"`);
  return value;
}

/**
 * The `createServer` options a configuration stands for (what `pnpm start` runs with), so every
 * process built from the environment — the service, the benchmark's server — is the same server.
 */
export function serverOptionsFromConfig(config: ServiceConfig): Omit<ServerOptions, 'logger'> {
  return {
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    changePollMs: config.changePollMs,
    role: config.role,
    apiKeys: config.apiKeys,
    simulationScale: config.simulationScale,
    corsOrigins: config.corsOrigins,
    rateLimit: config.rateLimit,
    validateResponses: config.validateResponses,
    responseSample: config.responseSample,
    push: {
      outboundAllow: config.outboundAllow,
      secretKey: config.secretKey,
      maxStreamsPerTenant: config.maxEventStreamsPerTenant,
      leaseMs: config.deliveryLeaseMs,
    },
    http: config.http,
    metrics: config.metrics,
    releaseIdleMemory: config.releaseIdleMemory,
    engine: {
      concurrency: config.concurrency,
      leaseMs: config.leaseMs,
      retentionMs: config.retentionHours * 3_600_000,
    },
  };
}
