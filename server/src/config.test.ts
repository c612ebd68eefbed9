import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, serverOptionsFromConfig } from './config.ts';

const KEYS = { LONGRUN_API_KEYS: 'acme:k1, globex:k2' };

describe('loadConfig', () => {
  it('has a working default for everything but the keys', () => {
    const config = loadConfig(KEYS);
    expect(config).toMatchObject({
      role: 'all',
      port: 3000,
      host: '127.0.0.1',
      leaseMs: 10_000,
      retentionHours: 24,
      concurrency: 8,
      simulationScale: 1,
      corsOrigins: '*',
      rateLimit: { limit: 6000, windowSeconds: 60 },
      validateResponses: 'log',
      responseSample: 0.01,
      http: {
        headersTimeoutMs: 20_000,
        requestTimeoutMs: 30_000,
        keepAliveTimeoutMs: 5_000,
        maxConnections: 10_000,
        maxHeldPollsPerTenant: 100,
      },
      databaseUrl: undefined,
      developmentKey: undefined,
      releaseIdleMemory: true,
      maxEventStreamsPerTenant: 100,
      deliveryLeaseMs: 60_000,
    });
    expect(config.apiKeys).toEqual([
      { tenant: 'acme', key: 'k1' },
      { tenant: 'globex', key: 'k2' },
    ]);
  });

  it('validates every response with LONGRUN_VALIDATE_RESPONSES=true, a sample with log, as LONGRUN_VALIDATE_RESPONSES_SAMPLE says', () => {
    expect(loadConfig({ ...KEYS, LONGRUN_VALIDATE_RESPONSES: 'true' }).responseSample).toBe(1);
    expect(loadConfig({ ...KEYS, LONGRUN_VALIDATE_RESPONSES: 'log' }).responseSample).toBe(0.01);
    expect(loadConfig({ ...KEYS, LONGRUN_VALIDATE_RESPONSES_SAMPLE: '0.25' }).responseSample).toBe(0.25);
    expect(loadConfig({ ...KEYS, LONGRUN_VALIDATE_RESPONSES_SAMPLE: '0' }).responseSample).toBe(0);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      ...KEYS,
      PORT: '0',
      HOST: '0.0.0.0',
      LONGRUN_LEASE_MS: '1000',
      LONGRUN_RETENTION_HOURS: '48',
      LONGRUN_CONCURRENCY: '2',
      LONGRUN_SIMULATION_SCALE: '0.01',
      LONGRUN_CORS_ORIGINS: 'https://a.example, https://b.example',
      LONGRUN_RATE_LIMIT: '10/1',
      LONGRUN_VALIDATE_RESPONSES: 'false',
      LONGRUN_HEADERS_TIMEOUT_MS: '5000',
      LONGRUN_REQUEST_TIMEOUT_MS: '10000',
      LONGRUN_KEEP_ALIVE_TIMEOUT_MS: '65000',
      LONGRUN_MAX_CONNECTIONS: '500',
      LONGRUN_MAX_HELD_POLLS: '7',
      LONGRUN_RELEASE_IDLE_MEMORY: 'false',
      LONGRUN_MAX_EVENT_STREAMS: '500',
      LONGRUN_DELIVERY_LEASE_MS: '15000',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      leaseMs: 1000,
      retentionHours: 48,
      concurrency: 2,
      simulationScale: 0.01,
      corsOrigins: ['https://a.example', 'https://b.example'],
      rateLimit: { limit: 10, windowSeconds: 1 },
      validateResponses: false,
      http: {
        headersTimeoutMs: 5000,
        requestTimeoutMs: 10_000,
        keepAliveTimeoutMs: 65_000,
        maxConnections: 500,
        maxHeldPollsPerTenant: 7,
      },
      logLevel: 'warn',
      releaseIdleMemory: false,
      maxEventStreamsPerTenant: 500,
      deliveryLeaseMs: 15_000,
    });
    expect(serverOptionsFromConfig(config).releaseIdleMemory).toBe(false);
    expect(serverOptionsFromConfig(config).push?.leaseMs).toBe(15_000);
    expect(serverOptionsFromConfig(config).push?.maxStreamsPerTenant).toBe(500);
  });

  it.each([
    ['LONGRUN_LEASE_MS', '50'],
    ['LONGRUN_LEASE_MS', 'soon'],
    ['LONGRUN_RETENTION_HOURS', '1'],
    ['LONGRUN_CONCURRENCY', '0'],
    ['PORT', '70000'],
    ['LONGRUN_RATE_LIMIT', 'lots'],
    ['LONGRUN_ROLE', 'boss'],
    ['DATABASE_URL', 'mysql://db'],
    ['LONGRUN_API_KEYS', 'no-colon'],
    ['LONGRUN_VALIDATE_RESPONSES', 'sometimes'],
    ['LONGRUN_VALIDATE_RESPONSES_SAMPLE', '1.5'],
    ['LONGRUN_VALIDATE_RESPONSES_SAMPLE', 'half'],
    ['LONGRUN_HEADERS_TIMEOUT_MS', '0'],
    ['LONGRUN_HEADERS_TIMEOUT_MS', '40000'],
    ['LONGRUN_MAX_CONNECTIONS', 'many'],
    ['LONGRUN_MAX_HELD_POLLS', '-1'],
    ['LONGRUN_SECRET_KEY', 'c2hvcnQ='],
    ['LONGRUN_RELEASE_IDLE_MEMORY', 'sometimes'],
    ['LONGRUN_MAX_EVENT_STREAMS', '0'],
    ['LONGRUN_MAX_EVENT_STREAMS', '2.5'],
    ['LONGRUN_DELIVERY_LEASE_MS', '10000'],
    ['LONGRUN_DELIVERY_LEASE_MS', 'a minute'],
  ])('refuses %s=%j with a message naming it', (name, value) => {
    expect(() => loadConfig({ ...KEYS, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...KEYS, [name]: value })).toThrow(name);
  });

  it('makes a development key once, kept in the data directory, when no keys are given', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'longrun-config-'));
    try {
      const first = loadConfig({ LONGRUN_DATA_DIR: dataDir });
      expect(first.developmentKey).toMatch(/^dev_/);
      expect(first.developmentKeyMade).toBe(true);
      expect(first.apiKeys).toEqual([{ tenant: 'development', key: first.developmentKey }]);
      expect((await readFile(join(dataDir, 'development-api-key'), 'utf8')).trim()).toBe(first.developmentKey);
      const second = loadConfig({ LONGRUN_DATA_DIR: dataDir });
      expect(second.developmentKey).toBe(first.developmentKey);
      expect(second.developmentKeyMade).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
