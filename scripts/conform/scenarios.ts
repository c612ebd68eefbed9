/**
 * The scenarios `longrun conform` runs for one asynchronous operation, each ending in one or more named
 * checks. Every scenario drives the operations it started to their end before the next one begins, so a
 * one-at-a-time resource is free again and no work is left running on the API.
 */
import { randomUUID } from 'node:crypto';
import { findLink, parseRetryAfter, preferenceName, splitPreferences } from './contract-headers.ts';
import { Fault, type Followed, follow, isTerminal, monitorOf, stateOf, summary } from './lifecycle.ts';
import type { Verdict } from './report.ts';
import type { SchemaCheck } from './schema-check.ts';
import { type AsyncOperation, fillTemplate, isObject, matchTemplate, type Spec } from './spec.ts';
import type { Answer, Traffic } from './traffic.ts';

/** The names of every check, in the order they run for an operation. */
export const checkNames = [
  'accepted',
  'retry-after',
  'monitor-link',
  'long-poll',
  'states-forward',
  'outcome',
  'etag-304',
  'respond-async',
  'prefer-wait',
  'cancel',
  'one-at-a-time',
  'idempotent-replay',
  'idempotency-key-reused',
  'invalid-input',
  'responses-match-spec',
] as const;

/** A check's name. */
export type CheckName = (typeof checkNames)[number];

/** Where scenarios report and what they share. */
export interface ScenarioContext {
  traffic: Traffic;
  spec: Spec;
  schemas: SchemaCheck;
  timeoutMs: number;
  pollMs: number;
  /** Resources created by earlier operations (a read answered asynchronously needs an existing one). */
  created: string[];
  wants(check: CheckName): boolean;
  record(check: CheckName, verdict: Verdict, detail: string, ms: number): void;
}

/** Raised by a check that does not apply. */
class NotApplicable extends Error {
  override name = 'NotApplicable';
}

/** Runs `body` as the check `name`: PASS with its detail, FAIL with a {@link Fault}'s (or any error's) message. */
async function check(ctx: ScenarioContext, name: CheckName, body: () => Promise<string>): Promise<void> {
  if (!ctx.wants(name)) return;
  const started = performance.now();
  try {
    const detail = await body();
    ctx.record(name, 'PASS', detail, performance.now() - started);
  } catch (error) {
    const ms = performance.now() - started;
    if (error instanceof NotApplicable) ctx.record(name, 'SKIP', error.message, ms);
    else ctx.record(name, 'FAIL', error instanceof Error ? error.message : String(error), ms);
  }
}

/** Runs every scenario for `op`. */
export async function runScenarios(ctx: ScenarioContext, op: AsyncOperation): Promise<void> {
  let path: string;
  try {
    path = concretePath(ctx, op);
  } catch (error) {
    if (!(error instanceof NotApplicable)) throw error;
    for (const name of checkNames) if (ctx.wants(name)) ctx.record(name, 'SKIP', error.message, 0);
    return;
  }
  const lifecycleChecks: CheckName[] = [
    'accepted',
    'retry-after',
    'monitor-link',
    'long-poll',
    'states-forward',
    'outcome',
    'etag-304',
  ];
  if (lifecycleChecks.some((name) => ctx.wants(name))) await lifecycle(ctx, op, path);
  await check(ctx, 'respond-async', () => respondAsync(ctx, op, path));
  await check(ctx, 'prefer-wait', () => preferWait(ctx, op, path));
  await check(ctx, 'cancel', () => cancel(ctx, op, path));
  await check(ctx, 'one-at-a-time', () => oneAtATime(ctx, op, path));
  if (ctx.wants('idempotent-replay') || ctx.wants('idempotency-key-reused')) await idempotency(ctx, op, path);
  await check(ctx, 'invalid-input', () => invalidInput(ctx, op, path));
}

/** The path to send to: the template itself, or filled from a resource an earlier operation created. */
function concretePath(ctx: ScenarioContext, op: AsyncOperation): string {
  if (op.pathParameters.length === 0) return op.path;
  if (op.method !== 'GET') {
    // A write names its resource: the parameter's example, else a fresh name of this run.
    const params: Record<string, string> = {};
    for (const parameter of ctx.spec.parameters(op.operation).filter((candidate) => candidate.in === 'path')) {
      const schema = ctx.spec.deref<Record<string, unknown>>(parameter.schema ?? {});
      const example = parameter.example ?? schema.example;
      params[String(parameter.name)] = example === undefined ? `conform-${randomUUID().slice(0, 8)}` : String(example);
    }
    return fillTemplate(op.path, params);
  }
  for (const url of ctx.created) {
    const params = matchTemplate(op.path, ctx.traffic.specPath(ctx.traffic.resolve(url)));
    if (params) return fillTemplate(op.path, params);
  }
  throw new NotApplicable(`needs an existing resource for ${op.path}, and no operation before it created one`);
}

/** The request that starts the operation, with extra headers. Reads ask for async answers. */
function start(
  ctx: ScenarioContext,
  op: AsyncOperation,
  path: string,
  headers: Record<string, string> = {},
  body = op.body,
): Promise<Answer> {
  const prefer: Record<string, string> = op.method === 'GET' ? { Prefer: 'respond-async' } : {};
  return ctx.traffic.send(path, {
    method: op.method,
    headers: { ...prefer, ...headers },
    ...(body !== undefined && op.method !== 'GET' ? { body } : {}),
  });
}

/** Expects a 202 with a monitor; returns the monitor URL. */
function expectAccepted(answer: Answer, what: string, op?: AsyncOperation): string {
  // Azure's long-running PUT may answer 201 (or 200) with the status monitor in Azure-AsyncOperation.
  const azureStarted =
    op?.dialect === 'azure' &&
    (answer.status === 200 || answer.status === 201) &&
    (answer.headers.has('azure-asyncoperation') || answer.headers.has('operation-location'));
  if (answer.status !== 202 && !azureStarted)
    throw new Fault(`${what} answered ${answer.status}, not 202 Accepted: ${summary(answer)}`);
  const monitor = monitorOf(answer);
  if (monitor === undefined)
    throw new Fault(`${what} answered 202 without Location (or Link rel="monitor", Operation-Location)`);
  return monitor;
}

function followOptions(ctx: ScenarioContext, longPollSeconds?: number) {
  return {
    timeoutMs: ctx.timeoutMs,
    pollMs: ctx.pollMs,
    ...(longPollSeconds !== undefined ? { longPollSeconds } : {}),
  };
}

/** Follows a monitor to its end, for scenarios that only need the API free again. */
async function drain(ctx: ScenarioContext, monitor: string | undefined): Promise<Followed | undefined> {
  if (monitor === undefined) return undefined;
  return follow(ctx.traffic, ctx.spec, monitor, followOptions(ctx));
}

/** accepted, retry-after, monitor-link, long-poll, states-forward, outcome, etag-304: one operation followed. */
async function lifecycle(ctx: ScenarioContext, op: AsyncOperation, path: string): Promise<void> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const fail = (names: CheckName[], detail: string) => {
    for (const name of names) if (ctx.wants(name)) ctx.record(name, 'FAIL', detail, elapsed());
  };
  const result = (name: CheckName, verdict: Verdict, detail: string) => {
    if (ctx.wants(name)) ctx.record(name, verdict, detail, elapsed());
  };
  let accepted: Answer;
  let monitor: string;
  try {
    accepted = await start(ctx, op, path);
    monitor = expectAccepted(accepted, `${op.method} ${path}`, op);
  } catch (error) {
    fail(
      ['accepted', 'retry-after', 'monitor-link', 'long-poll', 'states-forward', 'outcome', 'etag-304'],
      message(error),
    );
    return;
  }
  result('accepted', 'PASS', `${accepted.status} in ${accepted.ms} ms, monitor ${monitor}`);
  const retryAfter = accepted.headers.get('retry-after');
  if (parseRetryAfter(retryAfter, Date.now()) === undefined)
    result(
      'retry-after',
      'FAIL',
      retryAfter === null
        ? '202 Accepted without Retry-After'
        : `202 Accepted with an unreadable Retry-After: ${retryAfter}`,
    );
  const link = findLink(accepted.headers.get('link'), 'monitor');
  if (link !== undefined) result('monitor-link', 'PASS', `Link rel="monitor" → ${link}`);
  else if (op.linkOnAccept)
    result('monitor-link', 'FAIL', '202 Accepted without Link rel="monitor" (the spec declares Link on this 202)');
  else result('monitor-link', 'SKIP', 'the spec declares no Link header on this 202');

  const monitorOperation = ctx.spec.match('GET', ctx.traffic.specPath(ctx.traffic.resolve(monitor)));
  const longPolls =
    monitorOperation !== undefined &&
    ctx.spec.takesHeader(monitorOperation.operation, 'Prefer') &&
    ctx.wants('long-poll');
  let followed: Followed;
  try {
    followed = await follow(ctx.traffic, ctx.spec, monitor, followOptions(ctx, longPolls ? 2 : undefined), accepted);
  } catch (error) {
    if (parseRetryAfter(retryAfter, Date.now()) !== undefined)
      result('retry-after', 'PASS', `Retry-After: ${retryAfter}`);
    fail(['long-poll', 'states-forward', 'outcome', 'etag-304'], message(error));
    return;
  }
  if (parseRetryAfter(retryAfter, Date.now()) !== undefined) {
    if (followed.missingRetryAfter.length > 0) result('retry-after', 'FAIL', followed.missingRetryAfter[0] ?? '');
    else result('retry-after', 'PASS', `Retry-After: ${retryAfter} on the 202 and on every pending poll`);
  }
  if (followed.longPoll) result('long-poll', followed.longPoll.verdict, followed.longPoll.detail);
  else if (!longPolls) result('long-poll', 'SKIP', 'the monitor takes no Prefer header');
  else result('long-poll', 'SKIP', 'the operation ended before a long poll could be tried');

  const seen = `${followed.states.join(' → ') || '(no state field)'} in ${followed.polls} polls`;
  if (followed.regressions.length > 0)
    result('states-forward', 'FAIL', `the monitor state went back: ${followed.regressions.join(', ')}; seen ${seen}`);
  else result('states-forward', 'PASS', seen);

  try {
    result('outcome', 'PASS', await judgeOutcome(ctx, op, followed, accepted, path));
  } catch (error) {
    result('outcome', 'FAIL', message(error));
  }
  if (ctx.wants('etag-304')) {
    try {
      result('etag-304', 'PASS', await etag304(ctx, followed));
    } catch (error) {
      result('etag-304', error instanceof NotApplicable ? 'SKIP' : 'FAIL', message(error));
    }
  }
}

/** The terminal answer: 201 + Location → a product valid against its schema, or 200 with a valid result. */
async function judgeOutcome(
  ctx: ScenarioContext,
  op: AsyncOperation,
  followed: Followed,
  accepted: Answer,
  path: string,
): Promise<string> {
  const final = followed.final;
  const state = stateOf(final.json);
  if (state !== undefined && state !== 'succeeded')
    throw new Fault(
      `the operation ended ${state}${isObject(final.json) && isObject(final.json.error) ? `: ${summary({ ...final, json: final.json.error })}` : ''}`,
    );
  const actions = followed.actions.length > 0 ? ` (after the outside action ${followed.actions.join(', ')})` : '';
  if (op.dialect === 'azure') {
    const via = op.finalStateVia ?? 'location';
    const url =
      via === 'location' ? (accepted.headers.get('location') ?? undefined) : via === 'original-uri' ? path : undefined;
    if (url === undefined) return `succeeded; the outcome is the monitor (final-state-via ${via})`;
    const outcome = await ctx.traffic.send(url);
    if (outcome.status !== 200)
      throw new Fault(`final-state-via ${via}: GET ${url} answered ${outcome.status}: ${summary(outcome)}`);
    validateOutcome(ctx, op, outcome.json, `GET ${url}`);
    return `succeeded; GET ${url} (final-state-via ${via}) answered 200`;
  }
  if (final.status === 201) {
    const location = final.headers.get('location');
    if (location === null) throw new Fault(`the monitor answered 201 without Location to the created resource`);
    const product = await ctx.traffic.send(location);
    if (product.status !== 200)
      throw new Fault(`the product ${location} answered ${product.status}: ${summary(product)}`);
    if (op.product !== undefined) {
      const problems = ctx.schemas.component(op.product, product.json);
      if (problems.length > 0)
        throw new Fault(`the product ${location} breaks its schema ${op.product}: ${problems.slice(0, 3).join('; ')}`);
    }
    ctx.created.push(location);
    return `201 → ${location}${op.product ? `, valid ${op.product}` : ''}${actions}`;
  }
  if (final.status === 200) {
    if (op.product !== undefined)
      throw new Fault(
        `the operation succeeded with 200, but the spec says it creates a ${op.product} (201 + Location)`,
      );
    if (op.result !== undefined) {
      const result = isObject(final.json) ? final.json.result : undefined;
      const problems = ctx.schemas.component(op.result, result);
      if (problems.length > 0)
        throw new Fault(`the inline result breaks its schema ${op.result}: ${problems.slice(0, 3).join('; ')}`);
      return `200 with a valid ${op.result} result${actions}`;
    }
    return `200${actions}`;
  }
  throw new Fault(`the monitor ended with ${final.status}, neither 201 + Location nor 200`);
}

function validateOutcome(ctx: ScenarioContext, op: AsyncOperation, body: unknown, what: string): void {
  const schema = op.product ?? op.result;
  if (schema === undefined) return;
  const problems = ctx.schemas.component(schema, body);
  if (problems.length > 0) throw new Fault(`${what} breaks its schema ${schema}: ${problems.slice(0, 3).join('; ')}`);
}

/** A finished monitor asked again with its ETag answers 304. */
async function etag304(ctx: ScenarioContext, followed: Followed): Promise<string> {
  const etag = followed.final.headers.get('etag');
  const monitorOperation = ctx.spec.match('GET', ctx.traffic.specPath(ctx.traffic.resolve(followed.monitor)));
  const declares304 =
    monitorOperation !== undefined && ctx.spec.response(monitorOperation.operation, 304) !== undefined;
  if (etag === null) {
    if (declares304)
      throw new Fault(`the monitor answered ${followed.final.status} without an ETag, though the spec declares 304`);
    throw new NotApplicable('the monitor sends no ETag and the spec declares no 304');
  }
  const again = await ctx.traffic.send(followed.monitor, { headers: { 'If-None-Match': etag } });
  if (again.status !== 304)
    throw new Fault(`If-None-Match: ${etag} on the finished monitor answered ${again.status}, not 304 Not Modified`);
  const same = again.headers.get('etag');
  if (same !== null && same !== etag) throw new Fault(`the 304 carries ETag ${same}, not ${etag}`);
  return `If-None-Match: ${etag} → 304`;
}

/** `Prefer: respond-async` is answered 202 and echoed in `Preference-Applied`. */
async function respondAsync(ctx: ScenarioContext, op: AsyncOperation, path: string): Promise<string> {
  if (!op.prefer) throw new NotApplicable('the operation takes no Prefer header');
  const answer = await start(ctx, op, path, { Prefer: 'respond-async' });
  const monitor = expectAccepted(answer, `${op.method} ${path} with Prefer: respond-async`);
  try {
    const applied = splitPreferences(answer.headers.get('preference-applied')).map(preferenceName);
    const declared = ctx.spec.responseHeader(ctx.spec.response(op.operation, 202), 'Preference-Applied') !== undefined;
    if (declared && !applied.includes('respond-async'))
      throw new Fault(`202 without Preference-Applied: respond-async (the spec declares Preference-Applied)`);
    return `202, Preference-Applied: ${answer.headers.get('preference-applied') ?? '(none)'}`;
  } finally {
    await drain(ctx, monitor);
  }
}

/** `Prefer: wait=N`: the final outcome within N seconds, or 202 after holding. */
async function preferWait(ctx: ScenarioContext, op: AsyncOperation, path: string): Promise<string> {
  if (!op.prefer) throw new NotApplicable('the operation takes no Prefer header');
  const seconds = Math.max(1, Math.min(3, Math.floor(ctx.timeoutMs / 2000)));
  const answer = await ctx.traffic.send(path, {
    method: op.method,
    headers: { Prefer: op.method === 'GET' ? `respond-async, wait=${seconds}` : `wait=${seconds}` },
    ...(op.body !== undefined && op.method !== 'GET' ? { body: op.body } : {}),
    extraMs: seconds * 1000,
  });
  if (answer.status === 202) {
    const monitor = expectAccepted(answer, `${op.method} ${path} with Prefer: wait=${seconds}`);
    await drain(ctx, monitor);
    return `still running after ${answer.ms} ms: 202 with its monitor`;
  }
  if (answer.status !== 200 && answer.status !== 201)
    throw new Fault(
      `Prefer: wait=${seconds} answered ${answer.status}, neither the outcome (200/201) nor 202: ${summary(answer)}`,
    );
  const state = stateOf(answer.json);
  if (state !== undefined && !isTerminal(state))
    throw new Fault(`Prefer: wait=${seconds} answered ${answer.status} with a monitor still ${state}`);
  if (answer.status === 201 && answer.headers.get('location') === null)
    throw new Fault(`Prefer: wait=${seconds} answered 201 without Location`);
  const applied = answer.headers.get('preference-applied');
  return `the outcome in ${answer.ms} ms: ${answer.status}${applied ? `, Preference-Applied: ${applied}` : ''}`;
}

/** A running operation asked to cancel ends `cancelled`. */
async function cancel(ctx: ScenarioContext, op: AsyncOperation, path: string): Promise<string> {
  const answer = await start(ctx, op, path);
  const monitor = expectAccepted(answer, `${op.method} ${path}`, op);
  const cancelUrl = cancelUrlOf(ctx, monitor, answer);
  if (cancelUrl === undefined) {
    await drain(ctx, monitor);
    throw new NotApplicable('the spec has no cancel operation for this monitor');
  }
  // Wait until it runs (a queued operation is cancelled by bookkeeping alone), but no longer.
  const deadline = Date.now() + ctx.timeoutMs;
  let state = stateOf(answer.json);
  while (state !== 'running' && state !== 'inprogress' && !isTerminal(state) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(ctx.pollMs, 50)));
    state = stateOf((await ctx.traffic.send(monitor)).json);
  }
  if (isTerminal(state)) throw new NotApplicable(`the operation ended ${state} before it was seen running`);
  const cancelled = await ctx.traffic.send(cancelUrl, { method: 'POST' });
  if (cancelled.status === 409) {
    await drain(ctx, monitor);
    throw new NotApplicable(`the operation finished before the cancel arrived (409)`);
  }
  if (cancelled.status !== 200 && cancelled.status !== 202)
    throw new Fault(`POST ${cancelUrl} while ${state} answered ${cancelled.status}: ${summary(cancelled)}`);
  const followed = await follow(ctx.traffic, ctx.spec, monitor, followOptions(ctx));
  const end = stateOf(followed.final.json);
  if (end !== 'cancelled' && end !== 'canceled')
    throw new Fault(
      `cancel answered ${cancelled.status} while ${state}, but the operation ended ${end ?? `with ${followed.final.status}`}`,
    );
  return `POST ${cancelUrl} while ${state} → ${cancelled.status}; ended ${end}`;
}

function cancelUrlOf(ctx: ScenarioContext, monitor: string, answer: Answer): string | undefined {
  const links = isObject(answer.json) && isObject(answer.json.links) ? answer.json.links : {};
  const linked = isObject(links.cancel) && typeof links.cancel.href === 'string' ? links.cancel.href : undefined;
  if (linked !== undefined) return linked;
  const path = ctx.traffic.specPath(ctx.traffic.resolve(monitor));
  for (const candidate of [`${path}/cancel`, `${path}:cancel`]) if (ctx.spec.match('POST', candidate)) return candidate;
  return undefined;
}

/** A second request while one is pending: 409, a problem naming the pending monitor, Link to it, Retry-After. */
async function oneAtATime(ctx: ScenarioContext, op: AsyncOperation, path: string): Promise<string> {
  if (!op.oneAtATime) throw new NotApplicable('the operation is not one-at-a-time');
  const first = await start(ctx, op, path);
  const monitor = expectAccepted(first, `${op.method} ${path}`);
  const pending = ctx.traffic.resolve(monitor).href;
  let second: Answer | undefined;
  try {
    second = await start(ctx, op, path);
    if (second.status === 202)
      throw new Fault(
        `a second request while ${monitor} was pending was accepted too (202 → ${monitorOf(second) ?? '?'}), not refused with 409`,
      );
    if (second.status !== 409)
      throw new Fault(
        `a second request while ${monitor} was pending answered ${second.status}, not 409: ${summary(second)}`,
      );
    const faults: string[] = [];
    if (!/problem\+json/.test(second.headers.get('content-type') ?? ''))
      faults.push(`its Content-Type is ${second.headers.get('content-type')}, not application/problem+json`);
    const body = isObject(second.json) ? second.json : {};
    const named =
      (typeof body.monitor === 'string' && ctx.traffic.resolve(body.monitor).href === pending) ||
      JSON.stringify(body).includes(new URL(pending).pathname.split('/').at(-1) ?? pending);
    if (!named) faults.push(`the problem does not name the pending monitor ${monitor}`);
    const link = findLink(second.headers.get('link'), 'monitor');
    if (link === undefined) faults.push('no Link rel="monitor" to the pending monitor');
    else if (ctx.traffic.resolve(link).href !== pending)
      faults.push(`Link rel="monitor" is ${link}, not the pending ${monitor}`);
    if (parseRetryAfter(second.headers.get('retry-after'), Date.now()) === undefined) faults.push('no Retry-After');
    if (faults.length > 0) throw new Fault(`409 while ${monitor} was pending, but ${faults.join('; ')}`);
    return `409 naming ${monitor}, with Link rel="monitor" and Retry-After`;
  } finally {
    await drain(ctx, monitor);
    if (second?.status === 202) await drain(ctx, monitorOf(second));
  }
}

/** The same key and body replays the first answer; the same key with another body gets 422. */
async function idempotency(ctx: ScenarioContext, op: AsyncOperation, path: string): Promise<void> {
  const notApplicable = !op.idempotencyKey ? 'the operation takes no Idempotency-Key header' : undefined;
  if (notApplicable !== undefined) {
    for (const name of ['idempotent-replay', 'idempotency-key-reused'] as const)
      if (ctx.wants(name)) ctx.record(name, 'SKIP', notApplicable, 0);
    return;
  }
  const key = `conform-${randomUUID()}`;
  const monitors: string[] = [];
  try {
    const first = await start(ctx, op, path, { 'Idempotency-Key': key });
    const monitor = expectAccepted(first, `${op.method} ${path} with Idempotency-Key`, op);
    monitors.push(monitor);
    await check(ctx, 'idempotent-replay', async () => {
      const replay = await start(ctx, op, path, { 'Idempotency-Key': key });
      const again = replay.status === 202 ? monitorOf(replay) : undefined;
      if (again !== undefined && ctx.traffic.resolve(again).href !== ctx.traffic.resolve(monitor).href) {
        monitors.push(again);
        throw new Fault(
          `the replay with the same Idempotency-Key created a second operation: ${again} besides ${monitor}`,
        );
      }
      if (replay.status !== first.status)
        throw new Fault(`the replay answered ${replay.status}, the first request ${first.status}: ${summary(replay)}`);
      return `replay → ${replay.status}, the same monitor ${monitor}`;
    });
    await check(ctx, 'idempotency-key-reused', async () => {
      const variant = ctx.schemas.variantBody(op.bodySchema, op.body);
      if (variant === undefined) throw new NotApplicable('no other valid body could be derived from the example');
      const reused = await start(ctx, op, path, { 'Idempotency-Key': key }, variant);
      if (reused.status === 202) {
        const other = monitorOf(reused);
        if (other !== undefined) monitors.push(other);
        throw new Fault(`the same Idempotency-Key with another body was accepted (202), not refused with 422`);
      }
      if (reused.status !== 422)
        throw new Fault(
          `the same Idempotency-Key with another body answered ${reused.status}, not 422: ${summary(reused)}`,
        );
      if (!/problem\+json/.test(reused.headers.get('content-type') ?? ''))
        throw new Fault(`422 is ${reused.headers.get('content-type')}, not application/problem+json`);
      return `422 problem: ${summary(reused)}`;
    });
  } catch (error) {
    for (const name of ['idempotent-replay', 'idempotency-key-reused'] as const)
      if (ctx.wants(name)) ctx.record(name, 'FAIL', message(error), 0);
  } finally {
    for (const monitor of monitors) await drain(ctx, monitor).catch(() => undefined);
  }
}

/** A body that breaks the request schema gets a problem+json 4xx, never a 2xx or a 5xx. */
async function invalidInput(ctx: ScenarioContext, op: AsyncOperation, path: string): Promise<string> {
  const body = ctx.schemas.invalidBody(op.bodySchema);
  if (op.method === 'GET' || body === undefined)
    throw new NotApplicable('the operation takes no request body with a schema');
  const answer = await ctx.traffic.send(path, { method: op.method, body, invalidOnPurpose: true });
  if (answer.status === 202) {
    await drain(ctx, monitorOf(answer));
    throw new Fault(`an invalid body ${JSON.stringify(body)} was accepted (202)`);
  }
  if (answer.status < 400 || answer.status >= 500)
    throw new Fault(`an invalid body ${JSON.stringify(body)} answered ${answer.status}, not a 4xx: ${summary(answer)}`);
  const problem = isObject(answer.json) ? answer.json : {};
  // Azure's error shape is `{ "error": { "code", "message" } }` in application/json.
  if (op.dialect === 'azure' && isObject(problem.error) && typeof problem.error.code === 'string')
    return `${answer.status} error ${problem.error.code} for ${JSON.stringify(body)}`;
  if (!/problem\+json/.test(answer.headers.get('content-type') ?? ''))
    throw new Fault(
      `an invalid body answered ${answer.status} as ${answer.headers.get('content-type')}, not application/problem+json`,
    );
  if (typeof problem.title !== 'string' && typeof problem.type !== 'string')
    throw new Fault(`the ${answer.status} problem has neither type nor title`);
  return `${answer.status} problem for ${JSON.stringify(body)}: ${summary(answer)}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
