/**
 * `/dashboard`: the live operations dashboard, a page built by Vite from `server/dashboard/` into
 * `server/dashboard/dist/` (at `pnpm install`, or `pnpm --filter @longrun/server build:dashboard`).
 *
 * Served before authentication and validation: the page and its assets are public; everything it
 * shows comes from the API with the key the user pastes into it. `config.json` tells the page which
 * operations the served spec offers, so a server with its own spec gets its own submit form.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { HttpProblem } from './problem.ts';

/** Where the dashboard is served: this path and everything below it. */
export const DASHBOARD_PATH = '/dashboard';

/** Where `vite build` puts the page (`server/dashboard/vite.config.ts` says the same). */
export const DASHBOARD_BUILD_DIR: string = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

/** One operation of the spec that the page can start, or perform as a waiting step's action. */
export interface DashboardOperation {
  method: string;
  /** The path template, e.g. `/widget-orders/{orderId}/fulfilment`. */
  path: string;
  operationId?: string;
  summary?: string;
  /** The operation kind when the spec marks it asynchronous (`x-longrun-async.kind`). */
  kind?: string;
  /** The first example of its JSON request body. */
  example?: unknown;
}

/** What `/dashboard/config.json` answers. */
export interface DashboardConfig {
  operations: DashboardOperation[];
  /** The kinds of every asynchronous operation of the spec: the kind filter's choices. */
  kinds: string[];
}

/**
 * The page loads nothing from another origin: scripts, styles and requests stay on this one, and
 * the browser enforces it.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The operations with a JSON request body, and the asynchronous kinds, of an OpenAPI document. */
export function dashboardConfig(spec: object): DashboardConfig {
  const operations: DashboardOperation[] = [];
  const kinds = new Set<string>();
  const paths = (spec as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  for (const [path, item] of Object.entries(paths)) {
    for (const method of ['post', 'put', 'patch', 'delete', 'get'] as const) {
      const operation = item[method] as Record<string, unknown> | undefined;
      if (operation === undefined) continue;
      const kind = (operation['x-longrun-async'] as { kind?: unknown } | undefined)?.kind;
      if (typeof kind === 'string') kinds.add(kind);
      const json = (operation.requestBody as { content?: Record<string, Record<string, unknown>> } | undefined)
        ?.content?.['application/json'];
      if (json === undefined) continue;
      const examples = Object.values((json.examples as Record<string, { value?: unknown }> | undefined) ?? {});
      const example = json.example ?? examples.find((entry) => entry.value !== undefined)?.value;
      operations.push({
        method: method.toUpperCase(),
        path,
        ...(typeof operation.operationId === 'string' ? { operationId: operation.operationId } : {}),
        ...(typeof operation.summary === 'string' ? { summary: operation.summary } : {}),
        ...(typeof kind === 'string' ? { kind } : {}),
        ...(example === undefined ? {} : { example }),
      });
    }
  }
  return { operations, kinds: [...kinds].sort() };
}

/** What {@link dashboard} serves. */
export interface DashboardOptions {
  /** The spec the server validates against: its operations fill the submit form. */
  spec: object;
  /** The built page. @default {@link DASHBOARD_BUILD_DIR} */
  buildDir?: string;
}

/** The router answering `/dashboard` and everything under it. */
export function dashboard(options: DashboardOptions): Router {
  const buildDir = options.buildDir ?? DASHBOARD_BUILD_DIR;
  const config = JSON.stringify(dashboardConfig(options.spec));
  const router = express.Router({ strict: true });
  const files = express.static(buildDir, { index: false, fallthrough: true, redirect: false });

  router.use(DASHBOARD_PATH, function dashboardHeaders(_req: Request, res: Response, next: NextFunction) {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  router.get([DASHBOARD_PATH, `${DASHBOARD_PATH}/`], function page(_req: Request, res: Response) {
    const index = path.join(buildDir, 'index.html');
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send(
          'The dashboard is not built. Build it with `pnpm --filter @longrun/server build:dashboard` ' +
            '(`pnpm install` builds it too), then reload.\n',
        );
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  router.get(`${DASHBOARD_PATH}/config.json`, function pageConfig(_req: Request, res: Response) {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/json').send(config);
  });
  router.use(`${DASHBOARD_PATH}/assets`, function hashedAssets(_req: Request, res: Response, next: NextFunction) {
    // Vite names every asset by a hash of its content.
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    next();
  });
  router.use(DASHBOARD_PATH, files);
  router.use(DASHBOARD_PATH, function notFound(req: Request) {
    throw new HttpProblem('not-found', { detail: `No resource at ${req.originalUrl.split('?')[0]}.` });
  });
  return router;
}
