/**
 * Checks worker messages against the published protocol document, the same JSON Schema workers
 * in any language are written against, so the API and the document cannot disagree.
 */
import { createRequire } from 'node:module';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ControlMessage, ReportMessage, TaskMessage } from './protocol.ts';

const REPORT_TYPES = new Set(['started', 'heartbeat', 'progress', 'step', 'waiting', 'succeeded', 'failed']);

const require = createRequire(import.meta.url);

/** The protocol document (JSON Schema 2020-12). */
export const WORKER_MESSAGES_SCHEMA = require('@longrun/openapi/worker-messages.schema.json') as {
  $id: string;
  $defs: Record<string, unknown>;
};

/** What {@link WorkerMessageValidator.parseReport} made of a message body. */
export type ParsedReport = { ok: true; report: ReportMessage } | { ok: false; reason: string };

// ajv-formats is CommonJS: its default export arrives as the module object under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
) => Ajv2020;

/** Validates the three message families of the protocol. */
export class WorkerMessageValidator {
  readonly #report: ValidateFunction<ReportMessage>;
  readonly #task: ValidateFunction<TaskMessage>;
  readonly #control: ValidateFunction<ControlMessage>;
  readonly #ajv: Ajv2020;

  constructor() {
    const ajv = new Ajv2020({ allErrors: false, strict: true, strictTypes: false, strictRequired: false });
    addFormats(ajv);
    this.#ajv = ajv;
    ajv.addSchema(WORKER_MESSAGES_SCHEMA);
    const id = WORKER_MESSAGES_SCHEMA.$id;
    this.#report = ajv.getSchema(`${id}#/$defs/Report`) as ValidateFunction<ReportMessage>;
    this.#task = ajv.getSchema(`${id}#/$defs/Task`) as ValidateFunction<TaskMessage>;
    this.#control = ajv.getSchema(`${id}#/$defs/Control`) as ValidateFunction<ControlMessage>;
  }

  /** Parses and validates a report's raw body; the reason says what is wrong, for the dead-letter queue. */
  parseReport(body: Buffer | string): ParsedReport {
    let value: unknown;
    try {
      value = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
    } catch (error) {
      return { ok: false, reason: `not JSON: ${(error as Error).message}` };
    }
    if (this.#report(value)) return { ok: true, report: value };
    return { ok: false, reason: `not a valid report: ${this.#describe(value)}` };
  }

  /**
   * The most telling errors: a report of a known `type` is judged against that type's schema
   * alone, since the `oneOf` errors of the other six types say nothing useful.
   */
  #describe(value: unknown): string {
    const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
    if (typeof type === 'string' && REPORT_TYPES.has(type)) {
      const check = this.#ajv.getSchema(
        `${WORKER_MESSAGES_SCHEMA.$id}#/$defs/${type.charAt(0).toUpperCase()}${type.slice(1)}`,
      );
      if (check && !check(value)) return listErrors(check.errors);
    }
    if (typeof type !== 'string' || !REPORT_TYPES.has(type)) {
      return `/type must be one of ${[...REPORT_TYPES].join(', ')}`;
    }
    return listErrors(this.#report.errors);
  }

  /** True when `value` is a valid task message. */
  isTask(value: unknown): value is TaskMessage {
    return this.#task(value);
  }

  /** True when `value` is a valid control message. */
  isControl(value: unknown): value is ControlMessage {
    return this.#control(value);
  }
}

function listErrors(errors: ErrorObject[] | null | undefined): string {
  const shown = (errors ?? []).slice(0, 3);
  if (shown.length === 0) return 'unknown error';
  return shown.map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`).join('; ');
}
