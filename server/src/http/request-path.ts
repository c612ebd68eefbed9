/**
 * The path of a request's target, on a request Express has taken and on one it has not (those the
 * direct lane answers in front of it).
 */
import type { IncomingMessage } from 'node:http';

/**
 * The path of `req`'s target, as Express's `req.path` reads it: Express's own where Express took the
 * request, the target up to its query otherwise.
 */
export function pathOf(req: IncomingMessage): string {
  const expressPath = (req as IncomingMessage & { path?: string }).path;
  if (expressPath !== undefined) return expressPath;
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
