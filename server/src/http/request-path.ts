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

/**
 * The origin form (`/path?query`) of a request target sent in absolute form
 * (`http://host/path?query`), which a server must accept (RFC 9112 §3.2.2) though clients send it
 * mostly to proxies; any other target (origin form, `*`, or one that is not an http(s) URL) as it
 * is. The routes, the validator and the lane all read the origin form.
 */
export function originForm(target: string): string {
  if (isOriginForm(target)) return target;
  const authority = ABSOLUTE_FORM.exec(target);
  if (authority === null) return target;
  // Cut, not parsed: a URL parser would also resolve `..` and `%2e%2e` segments and turn `\` into
  // `/`, and the path must reach the routes as the client wrote it, as an origin-form one does.
  const rest = target.slice(authority[0].length);
  return rest.charCodeAt(0) === SLASH ? rest : `/${rest}`;
}

/** Whether a request target is in origin form (`/path?query`), the form the routes read. */
export function isOriginForm(target: string): boolean {
  return target.charCodeAt(0) === SLASH;
}

const SLASH = 0x2f;

/** The scheme and authority of an absolute-form http(s) target: up to the path, query or fragment. */
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;
