/**
 * Where the browser tests find Chromium (Debian's, driven by playwright-core: no browser download),
 * and what they do without one. In CI (`CI` set) a missing Chromium fails the test: CI installs it.
 * On a developer's machine the test that needs it is skipped, loudly, saying how to get it; only
 * that test, and `pnpm test`'s last line counts it as skipped.
 */
import { existsSync } from 'node:fs';
import { expect } from 'vitest';

/** Where Chromium is looked for: `CHROMIUM_PATH` when set, else Debian's and Ubuntu's paths. */
export const chromiumCandidates = process.env.CHROMIUM_PATH
  ? [process.env.CHROMIUM_PATH]
  : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The flags every browser test starts Chromium with: headless, no sandbox (containers), no network of its own. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What a test gets from Vitest to skip itself with a note. */
interface SkippableContext {
  skip(note?: string): void;
}

/**
 * The path of Chromium. Without one: fails the test in CI; elsewhere prints how to get it and
 * skips the calling test (and only it), with that note in the report.
 */
export function requireChromium(context: SkippableContext): string {
  const found = chromiumCandidates.find((candidate) => existsSync(candidate));
  if (found) return found;
  const how = `Chromium not found (looked at ${chromiumCandidates.join(', ')}): apt-get install chromium, or set CHROMIUM_PATH`;
  if (process.env.CI) expect.fail(`${how}. CI must run the browser tests.`);
  const line = '!'.repeat(100);
  console.warn(`\n${line}\n!! SKIPPED, this browser test only. ${how}.\n${line}\n`);
  context.skip(how);
  throw new Error('unreachable: skip() ends the test');
}
