/**
 * The API reference the server serves about itself: the bundled spec at `/openapi.json` and a
 * reading of it at `/docs` (Scalar's standalone bundle, which the published package carries). Both need no
 * API key. Nothing is fetched from another host when the page runs: the script, its styles and the
 * spec come from this server; the bundle's web fonts, which it would load from Scalar's font host
 * whatever its `withDefaultFonts` says, are taken out as it is served (the page uses the reader's
 * own fonts); telemetry is off; and a Content-Security-Policy holds the page to its own origin.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response, type Router } from 'express';

/** Where the reference is served. */
export const API_REFERENCE_PATHS = {
  page: '/docs',
  script: '/docs/scalar.js',
  setup: '/docs/setup.js',
  spec: '/openapi.json',
} as const;

/**
 * Where the published package keeps its copy of Scalar's standalone browser bundle (`pnpm build` puts
 * it in `dist/vendor/scalar/`, with a note of its version and licence). The package carries the one
 * file it serves rather than depending on `@scalar/api-reference`, whose install is Scalar's whole Vue
 * application: some 170 MB and two hundred packages, many of which declare Node 22 or later.
 */
const VENDORED_BUNDLE = fileURLToPath(new URL('../../vendor/scalar/standalone.js', import.meta.url));

/**
 * The bundle's file: the package's copy, or in this repository (which runs the sources) the one in
 * the development dependency `@scalar/api-reference` (its exports do not name the file).
 */
function scalarBundleFile(): string {
  if (existsSync(VENDORED_BUNDLE)) return VENDORED_BUNDLE;
  return join(dirname(fileURLToPath(import.meta.resolve('@scalar/api-reference'))), 'browser', 'standalone.js');
}

/** `@font-face` rules whose source is on another host. */
const REMOTE_FONT_FACE = /@font-face\s*\{[^}]*url\(\s*["']?https?:[^}]*\}/g;

let bundle: Promise<Buffer> | undefined;
/**
 * The bundle as served: read once, without the rules that would fetch fonts from another host, and
 * kept as the bytes sent. Kept as text it was a 9.6 MB string in the JS heap (the bundle has
 * characters beyond Latin-1, so V8 stores it two bytes a character), encoded again to 4.9 MB for
 * every request.
 */
function servedBundle(): Promise<Buffer> {
  // Read as Latin-1, one byte a character, and written back the same way: the bytes are the file's
  // own (its UTF-8 passes through untouched) and the text is half the size; the rules are ASCII.
  bundle ??= readFile(scalarBundleFile(), 'latin1').then((text) =>
    Buffer.from(text.replace(REMOTE_FONT_FACE, ''), 'latin1'),
  );
  return bundle;
}

/** Only this origin, for everything; Scalar sets styles inline and its editor compiles code at run time. */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function page(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="data:,">
  <title>${escapeHtml(title)} — API reference</title>
</head>
<body>
  <div id="api-reference"></div>
  <script src="${API_REFERENCE_PATHS.script}"></script>
  <script src="${API_REFERENCE_PATHS.setup}"></script>
</body>
</html>
`;
}

/** Kept out of the page so the policy needs no inline script. */
const setupScript = `Scalar.createApiReference('#api-reference', ${JSON.stringify({
  url: API_REFERENCE_PATHS.spec,
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  hideClientButton: false,
  showDeveloperTools: 'never',
})});
`;

/**
 * The routes of the reference: `GET /openapi.json` (the spec as the server validates against it)
 * and `GET /docs` with its two scripts.
 */
export function apiReferenceRoutes(spec: object): Router {
  const router = express.Router();
  const info = (spec as { info?: { title?: unknown } }).info;
  const html = page(typeof info?.title === 'string' ? info.title : 'API');
  const specJson = JSON.stringify(spec);

  router.get(API_REFERENCE_PATHS.spec, (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/json').send(specJson);
  });
  router.get(API_REFERENCE_PATHS.page, (_req: Request, res: Response) => {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  });
  router.get(API_REFERENCE_PATHS.setup, (_req: Request, res: Response) => {
    res.type('text/javascript').send(setupScript);
  });
  router.get(API_REFERENCE_PATHS.script, async (_req: Request, res: Response) => {
    const script = await servedBundle();
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('text/javascript').send(script);
  });
  return router;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
