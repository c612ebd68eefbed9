/**
 * The stateful mock with every request checked against the spec in this process: Express's JSON body
 * parser and `express-openapi-validator` (Ajv, compiled once from the bundled spec — the validator the
 * server uses) in front of the mock's handler. An invalid request gets the contract's `400` problem
 * with one `{ pointer, message }` per invalid part, as from the server.
 *
 * This replaces `prism proxy` as what `longrun mock --stateful` runs: Prism re-validates every request
 * and answer in a second process and forwards each one over HTTP, which costs more than the mock
 * itself (`scripts/bench/mock-throughput.ts` measures both). Answers are not re-validated here: they are
 * the spec's own examples, and the contract suite runs the mock behind `prism proxy` to check them.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadBundledSpec } from '@longrun/openapi';
import express, { type NextFunction, type Request, type Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { createStatefulMockHandler, type StatefulMockOptions, type StatefulMockServer } from './stateful-mock.ts';

/** Largest body read, as the server's limit. */
const bodyLimitBytes = 1024 * 1024;

/** One invalid part of a request, as the validator reports it. */
interface ValidatorError {
  path?: string;
  message?: string;
}

/** Starts the validated stateful mock on `port` (0 picks a free one). */
export async function startValidatedStatefulMock(
  options: StatefulMockOptions & { port?: number; host?: string } = {},
): Promise<StatefulMockServer> {
  const document = options.document ?? (await loadBundledSpec());
  const handle = await createStatefulMockHandler({ ...options, document });
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // CORS preflights are the mock's own answer; the spec documents no OPTIONS.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'OPTIONS') handle(req, res).catch(next);
    else next();
  });
  app.use(express.json({ limit: bodyLimitBytes, type: ['application/json', 'application/*+json'] }));
  app.use(
    OpenApiValidator.middleware({
      // The validator dereferences its copy; the mock keeps the original.
      apiSpec: structuredClone(document) as never,
      validateRequests: { allErrors: true, allowUnknownQueryParameters: false },
      validateResponses: false,
      // The mock answers a missing key itself (401, with the spec's example).
      validateSecurity: false,
      validateFormats: true,
      ajvFormats: { mode: 'fast' },
      ignoreUndocumented: false,
      $refParser: { mode: 'dereference' },
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    handle(req, res, { body: req.body }).catch(next);
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const { status, body } = problemFor(error);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(status).type('application/problem+json').send(JSON.stringify(body));
  });

  const host = options.host ?? '127.0.0.1';
  const server: Server = app.listen(options.port ?? 0, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The problem document for an error of the body parser or the validator; never a 500 for bad input. */
function problemFor(error: unknown): { status: number; body: Record<string, unknown> } {
  const raw = (error ?? {}) as { status?: number; statusCode?: number; type?: string; errors?: ValidatorError[] };
  const status = raw.status ?? raw.statusCode ?? 500;
  if (raw.type === 'entity.parse.failed') {
    return validation(400, 'The body is not valid JSON.', [{ pointer: '/body', message: 'is not valid JSON' }]);
  }
  if (status === 400) {
    const errors = (raw.errors ?? []).map((item) => ({
      pointer: toPointer(item.path ?? ''),
      message: item.message ?? 'is not valid',
    }));
    return validation(400, `${errors.length} problem${errors.length === 1 ? '' : 's'} in the request.`, errors);
  }
  const titles: Record<number, [string, string]> = {
    404: ['not-found', 'Not found'],
    405: ['method-not-allowed', 'Method not allowed'],
    413: ['content-too-large', 'The request body is too large'],
    415: ['unsupported-media-type', 'Unsupported media type'],
  };
  const known = titles[status];
  if (known !== undefined) {
    return {
      status,
      body: { type: `https://longrun.dev/problems/${known[0]}`, title: known[1], status, detail: messageOf(error) },
    };
  }
  console.error('stateful mock: unexpected error', error);
  return {
    status: 500,
    body: { type: 'https://longrun.dev/problems/internal-error', title: 'Internal server error', status: 500 },
  };
}

function validation(
  status: number,
  detail: string,
  errors: { pointer: string; message: string }[],
): { status: number; body: Record<string, unknown> } {
  return {
    status,
    body: {
      type: 'https://longrun.dev/problems/validation-failed',
      title: 'The request is not valid',
      status,
      detail,
      errors,
    },
  };
}

/** The validator's path as a JSON pointer (RFC 6901): `/body/model` stays, `.body.model` becomes it. */
function toPointer(path: string): string {
  if (path.startsWith('/')) return path;
  const segments = path
    .replace(/^\./, '')
    .split(/[.[\]]+/)
    .filter(Boolean);
  return `/${segments.map((segment) => segment.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
