/**
 * The `Content-Type` the request validator is shown: one of a bounded set.
 *
 * express-openapi-validator compiles a route's request schemas, and its response schemas, once per
 * method, route and request media type *with its parameters as the client wrote them*, and keeps
 * what it compiled for good. So every new `Content-Type` a client made up (`application/json; x=1`,
 * `x=2`, … or any string at all) cost about 50 ms of CPU and some megabytes kept for the life of
 * the process: a few thousand such requests made a server slow, then ran it out of memory. Before
 * the validator runs, the header is therefore replaced by the bare media type, lower-cased, when it is
 * one the spec's request bodies declare (or matches one of its wildcards, which is then what is
 * shown), and by {@link UNDECLARED_MEDIA_TYPE} otherwise: as many cache entries as the spec has routes
 * and media types. The charset was checked before this (a body is read as UTF-8 or refused), and the
 * body was parsed with the header as sent.
 */
import { MIMEType } from 'node:util';

/**
 * What an undeclared or malformed `Content-Type` is shown to the validator as: a type no spec
 * declares, which it refuses (415) on a route that takes a body and ignores on one that does not.
 */
export const UNDECLARED_MEDIA_TYPE = 'application/x-undeclared-media-type';

/** Canonicalises a request's `Content-Type` header in place (see the module's comment). */
export type MediaTypeCanonicaliser = (headers: { 'content-type'?: string | undefined }) => void;

/** The canonicaliser of a spec: its request bodies' media types, read once. */
export function canonicalMediaTypes(spec: unknown): MediaTypeCanonicaliser {
  const declared = declaredRequestMediaTypes(spec);
  const wildcards = [...declared]
    .filter((type) => type.includes('*'))
    .map((type) => [type, wildcardRegExp(type)] as const);
  const seen = new Map<string, string>();
  return (headers) => {
    const header = headers['content-type'];
    if (header === undefined) return;
    let shown = seen.get(header);
    if (shown === undefined) {
      shown = canonical(header, declared, wildcards);
      // Bounded like everything else here: a client sending new headers only refills it.
      if (seen.size >= 256) seen.clear();
      seen.set(header, shown);
    }
    headers['content-type'] = shown;
  };
}

function canonical(
  header: string,
  declared: ReadonlySet<string>,
  wildcards: readonly (readonly [string, RegExp])[],
): string {
  let essence: string;
  try {
    essence = new MIMEType(header).essence;
  } catch {
    return UNDECLARED_MEDIA_TYPE;
  }
  if (declared.has(essence)) return essence;
  for (const [pattern, regexp] of wildcards) if (regexp.test(essence)) return pattern;
  return UNDECLARED_MEDIA_TYPE;
}

/** `application/*+json` → a regular expression matching the media types it stands for. */
function wildcardRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '[^/]*');
  return new RegExp(`^${escaped}$`);
}

/** Every media type a request body of `spec` declares, lower-cased (a `$ref`'d request body followed). */
export function declaredRequestMediaTypes(spec: unknown): Set<string> {
  const types = new Set<string>();
  const document = (typeof spec === 'object' && spec !== null ? spec : {}) as {
    paths?: Record<string, Record<string, unknown> | undefined>;
  };
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item ?? {})) {
      if (typeof operation !== 'object' || operation === null) continue;
      const body = resolve(document, (operation as { requestBody?: unknown }).requestBody);
      const content = (body as { content?: unknown } | undefined)?.content;
      if (typeof content !== 'object' || content === null) continue;
      for (const type of Object.keys(content)) types.add(type.toLowerCase());
    }
  }
  return types;
}

/** A local `$ref` (`#/components/…`) followed, or the value itself. */
function resolve(document: unknown, value: unknown): unknown {
  let current = value;
  for (let depth = 0; depth < 8; depth++) {
    const ref = (current as { $ref?: unknown } | undefined)?.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/')) return current;
    current = ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], document);
  }
  return current;
}
