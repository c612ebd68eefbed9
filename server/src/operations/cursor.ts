/**
 * The opaque cursor of `listOperations`: base64url JSON naming the last id of the previous page.
 *
 * Keyset pagination (`id < last`) rather than offsets, so inserts between pages neither repeat nor
 * skip items. Opaque to clients; the version field lets the format change later.
 */
import { InvalidCursorError } from './ports/index.ts';

interface CursorBody {
  v: 1;
  id: string;
}

/** The cursor that continues after the operation `lastId`. */
export function encodeCursor(lastId: string): string {
  const body: CursorBody = { v: 1, id: lastId };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/**
 * The last id a cursor names.
 *
 * @throws InvalidCursorError when `cursor` was not made by {@link encodeCursor}.
 */
export function decodeCursor(cursor: string): string {
  let body: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(cursor);
  }
  if (typeof body !== 'object' || body === null) throw new InvalidCursorError(cursor);
  const { v, id } = body as Partial<CursorBody>;
  if (v !== 1 || typeof id !== 'string' || id.length === 0) throw new InvalidCursorError(cursor);
  return id;
}
