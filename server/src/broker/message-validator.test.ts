import { describe, expect, it } from 'vitest';
import { WORKER_MESSAGES_SCHEMA, WorkerMessageValidator } from './message-validator.ts';
import { decodeToken, encodeToken } from './protocol.ts';

const validator = new WorkerMessageValidator();
const envelope = { protocol: 1, operationId: 'op_01jb2', token: encodeToken({ tenant: 'acme', attempt: 2 }), seq: 3 };

describe('the worker message protocol document', () => {
  it('defines every message the API and workers exchange', () => {
    expect(Object.keys(WORKER_MESSAGES_SCHEMA.$defs)).toEqual(
      expect.arrayContaining([
        'Task',
        'Report',
        'Control',
        'Started',
        'Heartbeat',
        'Progress',
        'Step',
        'Waiting',
        'Succeeded',
        'Failed',
      ]),
    );
  });

  it.each([
    { type: 'started' },
    { type: 'heartbeat', sentAt: '2026-12-04T08:00:00.000Z' },
    { type: 'progress', percent: 42.5, message: 'Encoding', step: 'encode' },
    { type: 'step', step: 'encode', state: 'succeeded', title: 'Encode' },
    { type: 'waiting', step: 'approve', action: { name: 'approval', method: 'POST', path: '/approvals/1' } },
    {
      type: 'succeeded',
      product: { collection: 'products', id: 'prd_1', href: '/products/prd_1', body: { id: 'prd_1' } },
    },
    { type: 'succeeded', result: { rows: 12 }, related: [{ rel: 'invoice', href: '/invoices/1' }] },
    { type: 'succeeded' },
    { type: 'failed', problem: { type: 'https://example.com/problems/no-stream', title: 'No video', status: 422 } },
  ])('accepts a valid $type report', (fields) => {
    const parsed = validator.parseReport(JSON.stringify({ ...envelope, ...fields }));
    expect(parsed).toEqual({ ok: true, report: { ...envelope, ...fields } });
  });

  it.each([
    ['{"type":', /^not JSON/],
    [JSON.stringify({ ...envelope, type: 'progress', percent: 140 }), /\/percent must be <= 100/],
    [JSON.stringify({ ...envelope, type: 'progress' }), /must have required property 'percent'/],
    [JSON.stringify({ ...envelope, type: 'finished' }), /\/type must be one of started, heartbeat/],
    [JSON.stringify({ ...envelope, seq: -1, type: 'started' }), /\/seq must be >= 0/],
    [JSON.stringify({ ...envelope, type: 'step', step: 'encode', state: 'done' }), /\/state must be equal to one of/],
    [JSON.stringify({ ...envelope, type: 'failed', problem: { title: 'x' } }), /required property 'type'/],
    [JSON.stringify({ ...envelope, token: undefined, type: 'started' }), /required property 'token'/],
    [JSON.stringify({ ...envelope, type: 'started', extra: true }), /must NOT have additional properties/],
  ])('refuses %s and says why', (body, reason) => {
    const parsed = validator.parseReport(body);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toMatch(reason);
  });

  it('refuses a success with both a product and a result', () => {
    const body = {
      ...envelope,
      type: 'succeeded',
      result: 1,
      product: { collection: 'a', id: 'b', href: '/b', body: {} },
    };
    expect(validator.parseReport(JSON.stringify(body)).ok).toBe(false);
  });

  it('checks tasks and control messages too', () => {
    const task = {
      protocol: 1,
      type: 'task',
      operationId: 'op_01jb2',
      kind: 'transcode',
      input: { source: 's' },
      attempt: 1,
      token: '1.YWNtZQ',
      deadline: '2026-12-04T08:00:00.000Z',
      heartbeatMs: 1000,
    };
    expect(validator.isTask(task)).toBe(true);
    expect(validator.isTask({ ...task, deadline: 'tomorrow' })).toBe(false);
    expect(validator.isControl({ protocol: 1, type: 'cancel', operationId: 'op_01jb2', token: 't' })).toBe(true);
    expect(validator.isControl({ protocol: 1, type: 'action', operationId: 'op_01jb2', token: 't' })).toBe(false);
  });
});

describe('fencing tokens', () => {
  it('carry the tenant and attempt of one dispatch', () => {
    expect(decodeToken(encodeToken({ tenant: 'acme:eu', attempt: 7 }))).toEqual({ tenant: 'acme:eu', attempt: 7 });
  });

  it.each(['', '0.YWNtZQ', 'x.YWNtZQ', '1.', '1.a+b', '1'])('are not made up from %j', (token) => {
    expect(decodeToken(token)).toBeUndefined();
  });
});
