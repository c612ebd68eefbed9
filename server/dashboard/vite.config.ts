/**
 * Builds the dashboard page into `dist/`, which the server serves at `/dashboard`
 * (`pnpm --filter @longrun/server build:dashboard`; `pnpm install` runs it too).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  // The page fetches only its own origin; no public folder, nothing copied as is.
  publicDir: false,
  resolve: {
    alias: {
      // The client from its source, like every workspace package uses it. Not a workspace
      // dependency: the client's tests start this server, and the two would depend on each other.
      '@longrun/client': fileURLToPath(new URL('../../client/src/index.ts', import.meta.url)),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One small script and one stylesheet: nothing worth a source map in production.
    sourcemap: false,
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
