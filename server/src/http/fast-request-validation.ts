/**
 * Validates the common request without express-openapi-validator's per-request work, with the
 * very Ajv functions the validator compiled for that route, and hands every other request — and
 * every request those functions refuse — to the validator as before.
 *
 * Per request the validator (5.6) takes four promise turns, walks the spec's paths to find the
 * operation, parses `Content-Type` twice, `url.parse()`s the URL, builds a parameter mutator that
 * re-derives every parameter's schema, and only then runs two compiled Ajv functions (parameters
 * and headers; body). Once the validator has answered one request of a route and content type, its
 * Ajv instances hold those two functions under its own cache key (`METHOD-route-contentType`).
 * This module finds the route with the validator's own route table (the same regular expressions,
 * in the same order), computes the same key, and runs those same functions on the same data — so a
 * request it lets through is one the validator lets through, with the same coercions and defaults.
 *
 * It takes only requests for which the validator's mutator and query checks do nothing: no query
 * string, and an operation whose parameters are all primitive path or header parameters. A request
 * the functions refuse goes to the validator, which refuses it with the same errors as before (the
 * refusal is the validator's, not a copy of it). A response picked for validation is still checked
 * by the validator's response step, after its route lookup.
 */
import { createRequire } from 'node:module';
import type { NextFunction, Request, Response } from 'express';
import type { MediaTypeCanonicaliser } from './validated-media-type.ts';

type Middleware = (req: Request, res: Response, next: NextFunction) => unknown;

type AjvFunction = ((data: unknown) => boolean) & { errors?: unknown };

interface Ajv {
  getSchema(key: string): AjvFunction | undefined;
}

/** The parts of express-openapi-validator's `RequestValidator` read here. */
interface ValidatorInstance {
  apiDoc: object;
  ajv: Ajv;
  ajvBody: Ajv;
  middlewareCache: Record<string, unknown>;
}

/** The parts of express-openapi-validator's `OpenApiContext` read here. */
interface ValidatorContext {
  apiDoc: { paths: Record<string, Record<string, OperationSchema | undefined>> };
  expressRouteMap: Record<string, { basePath: string; _openApiRoute: string; _expressRoute: string }>;
  serial: number;
  ignorePaths?: unknown;
}

interface Parameter {
  in?: string;
  name?: string;
  schema?: { type?: unknown; $ref?: unknown };
  content?: unknown;
  $ref?: unknown;
}

interface OperationSchema {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, unknown> };
  [key: string]: unknown;
}

interface ContentTypeClass {
  from(req: Request): { normalize(): string | undefined; mediaType: string | null };
}

/** One spec path of the validator's route table, in its order. */
interface RouteEntry {
  expressRoute: string;
  openApiRoute: string;
  pathKey: string;
  regexp: RegExp;
  keys: string[];
}

/** The two compiled functions of one route and content type, and whether the fast path may use them. */
interface RouteFunctions {
  general: AjvFunction;
  body: AjvFunction;
}

const CAPTURED = Symbol('longrun.requestValidator');
const contexts = new WeakMap<object, ValidatorContext>();
let installed: { ContentType: ContentTypeClass; pathToRegexp: PathToRegexp } | undefined;

type PathToRegexp = (path: string, options: object) => { regexp: RegExp; keys: { name: string }[] };

/**
 * Hooks into the validator so its route table and its request validator can be found: the context
 * records itself when it builds its route maps, the request validator marks each request it
 * validates. Idempotent; returns false (and the fast path stays off) when the validator's internals
 * are not the ones expected.
 */
function install(): typeof installed {
  if (installed !== undefined) return installed;
  try {
    const require = createRequire(import.meta.resolve('express-openapi-validator'));
    const base = 'express-openapi-validator/dist';
    const { OpenApiContext } = require(`${base}/framework/openapi.context`) as {
      OpenApiContext: { prototype: { buildRouteMaps(this: ValidatorContext, routes: unknown): unknown } };
    };
    const { RequestValidator } = require(`${base}/middlewares/openapi.request.validator`) as {
      RequestValidator: { prototype: { validate(this: ValidatorInstance, req: Request, ...rest: unknown[]): unknown } };
    };
    const { ContentType } = require(`${base}/middlewares/util`) as { ContentType: ContentTypeClass };
    const { pathToRegexp } = require('path-to-regexp') as { pathToRegexp: PathToRegexp };
    const buildRouteMaps = OpenApiContext.prototype.buildRouteMaps;
    const validate = RequestValidator.prototype.validate;
    if (
      typeof buildRouteMaps !== 'function' ||
      typeof validate !== 'function' ||
      typeof ContentType?.from !== 'function'
    )
      return undefined;
    OpenApiContext.prototype.buildRouteMaps = function recordContext(this: ValidatorContext, routes: unknown) {
      const result = buildRouteMaps.call(this, routes);
      contexts.set(this.apiDoc, this);
      return result;
    };
    RequestValidator.prototype.validate = function markRequest(this: ValidatorInstance, req: Request, ...rest) {
      (req as Request & { [CAPTURED]?: ValidatorInstance })[CAPTURED] = this;
      return validate.call(this, req, ...rest);
    };
    installed = { ContentType, pathToRegexp };
    return installed;
  } catch {
    return undefined;
  }
}

const PRIMITIVE_TYPES = new Set(['string', 'integer', 'number', 'boolean']);

/**
 * Whether the validator's mutator does nothing for this operation on a request without a query
 * string: every parameter is a path or header parameter with a primitive schema and no `content`.
 */
function hasOnlySimpleParameters(schema: OperationSchema): boolean {
  for (const parameter of schema.parameters ?? []) {
    if (parameter.$ref !== undefined || parameter.content !== undefined) return false;
    if (parameter.in !== 'path' && parameter.in !== 'header') return false;
    const type = parameter.schema?.type;
    if (parameter.schema?.$ref !== undefined || typeof type !== 'string' || !PRIMITIVE_TYPES.has(type)) return false;
  }
  return true;
}

/**
 * Whether the validator's multipart step leaves the request alone: no `multipart/form-data` body and
 * no binary one (those go through multer).
 */
function hasPlainBody(schema: OperationSchema): boolean {
  for (const [type, media] of Object.entries(schema.requestBody?.content ?? {})) {
    if (type.includes('multipart')) return false;
    const body = (media as { schema?: { format?: unknown; $ref?: unknown } } | undefined)?.schema;
    if (body?.format === 'binary' || body?.$ref !== undefined) return false;
  }
  return (schema as { $ref?: unknown }).$ref === undefined;
}

/** The request body schema carries the validator's discriminator helper: its own code path, left to it. */
function hasDiscriminatedBody(fn: AjvFunction): boolean {
  const schema = (fn as { schema?: { properties?: { body?: { _discriminator?: unknown } } } }).schema;
  return schema?.properties?.body?._discriminator !== undefined;
}

/**
 * Runs `chain` (Express middlewares) in order, then `done`; an error, thrown or passed on, goes to
 * `next`.
 */
function runChain(chain: readonly Middleware[], req: Request, res: Response, done: NextFunction, next: NextFunction) {
  let index = 0;
  const step = (error?: unknown): void => {
    if (error) {
      next(error);
      return;
    }
    const middleware = chain[index++];
    if (middleware === undefined) {
      done();
      return;
    }
    try {
      middleware(req, res, step as NextFunction);
    } catch (thrown) {
      next(thrown);
    }
  };
  step();
}

/** The validator's steps this module arranges, by the names the validator gives them. */
export interface ValidatorSteps {
  /** Path parameters and route lookup (`pathParamsMiddleware`, `metadataMiddleware`). */
  lookup: readonly Middleware[];
  /** Every step up to and including `requestMiddleware`, in order (the lookup, multipart, the request check). */
  request: readonly Middleware[];
  /** `responseMiddleware`, when responses are validated. */
  response?: Middleware | undefined;
}

/** A request's spec route (the validator's Express-style template) and its decoded path parameters. */
export interface ValidatedRoute {
  expressRoute: string;
  params: Record<string, string>;
}

/** Request validation as the validator's steps do it, with a fast path for the common request. */
export interface RequestValidation {
  /** The middleware: through the fast path when it applies, through the validator's steps otherwise. */
  middleware: Middleware;
  /**
   * The fast path alone: the request's route and parameters when it applies and the request passes;
   * undefined when it does not apply or refuses (the middleware then hands it to the validator).
   */
  validated(req: Request): ValidatedRoute | undefined;
  /** Whether this request's response is checked against the spec (drawn once per request). */
  responseChecked(req: Request): boolean;
}

const RESPONSE_DRAW = Symbol('longrun.responseChecked');

/**
 * Validates requests as the validator's `steps` do: through the fast path when it applies, through
 * the steps otherwise. `sampled()` says whether a request's response is checked; `canonicalise`
 * sets the `Content-Type` the validator is shown to one of a bounded set (validated-media-type.ts).
 */
export function fastRequestValidation(
  steps: ValidatorSteps,
  sampled: () => boolean,
  canonicalise: MediaTypeCanonicaliser = () => {},
): RequestValidation {
  const hooks = install();
  const full = steps.request;
  const fullWithResponse = steps.response === undefined ? full : [...full, steps.response];
  const lookupWithResponse = steps.response === undefined ? [] : [...steps.lookup, steps.response];
  let validator: ValidatorInstance | undefined;
  let context: ValidatorContext | undefined;
  let table: RouteEntry[] | undefined;
  const functions = new Map<string, RouteFunctions | null>();

  /**
   * The validator's reading of a `Content-Type` (its media type, and its normalised form in the
   * cache key), kept per header value: clients send one or two values, parsed once each. Bounded,
   * as the values are the client's.
   */
  const mediaTypes = new Map<string | undefined, { mediaType: string | null; normalized: string }>();
  const mediaTypeOf = (header: string | undefined) => {
    let known = mediaTypes.get(header);
    if (known === undefined) {
      const parsed = (hooks as NonNullable<typeof hooks>).ContentType.from({
        headers: { 'content-type': header },
      } as never);
      known = { mediaType: parsed.mediaType, normalized: parsed.normalize() ?? 'not_provided' };
      if (mediaTypes.size >= 64) mediaTypes.clear();
      mediaTypes.set(header, known);
    }
    return known;
  };

  /** Learns the validator of this application from a request it validated. */
  const learn = (req: Request) => {
    if (validator !== undefined || hooks === undefined) return;
    const seen = (req as Request & { [CAPTURED]?: ValidatorInstance })[CAPTURED];
    const found = seen === undefined ? undefined : contexts.get(seen.apiDoc);
    // Ignored paths change which requests the validator looks at; not arranged here.
    if (seen === undefined || found === undefined || found.ignorePaths !== undefined) return;
    const options = { sensitive: req.app.enabled('case sensitive routing'), strict: req.app.enabled('strict routing') };
    table = Object.entries(found.expressRouteMap).map(([expressRoute, methods]) => {
      const { regexp, keys } = hooks.pathToRegexp(expressRoute, options);
      return {
        expressRoute,
        openApiRoute: methods._openApiRoute,
        pathKey: methods._openApiRoute.substring(methods.basePath.length),
        regexp,
        keys: keys.map((key) => key.name),
      };
    });
    validator = seen;
    context = found;
  };

  /** The compiled functions of a route and content type, once the validator has built them. */
  const functionsFor = (
    key: string,
    schema: OperationSchema,
    expressRoute: string,
  ): RouteFunctions | null | undefined => {
    const known = functions.get(key);
    if (known !== undefined) return known;
    const current = validator as ValidatorInstance;
    if (current.middlewareCache[key] === undefined) return undefined;
    const general = current.ajv.getSchema(key);
    const body = current.ajvBody.getSchema(key);
    const usable =
      general !== undefined &&
      body !== undefined &&
      !expressRoute.endsWith('*') &&
      hasOnlySimpleParameters(schema) &&
      hasPlainBody(schema) &&
      !hasDiscriminatedBody(body);
    const entry = usable ? { general, body } : null;
    functions.set(key, entry);
    return entry;
  };

  /**
   * Validates `req` with the route's functions: its route and path parameters when the fast path
   * applies and lets it through (and what the validator's lookup leaves on a request, left on it),
   * undefined otherwise.
   */
  const validateFast = (req: Request): ValidatedRoute | undefined => {
    canonicalise(req.headers);
    if (validator === undefined || context === undefined || table === undefined || hooks === undefined)
      return undefined;
    const url = req.originalUrl;
    if (url.includes('?')) return undefined;
    let route: RouteEntry | undefined;
    let match: RegExpExecArray | null = null;
    for (const entry of table) {
      match = entry.regexp.exec(url);
      if (match !== null) {
        route = entry;
        break;
      }
    }
    if (route === undefined || match === null) return undefined;
    const schema = context.apiDoc.paths[route.pathKey]?.[req.method.toLowerCase()];
    if (schema === undefined) return undefined;
    const contentType = mediaTypeOf(req.headers['content-type']);
    if (contentType.mediaType === 'multipart/form-data') return undefined;
    const key = `${req.method}-${route.expressRoute}-${contentType.normalized}`;
    const compiled = functionsFor(key, schema, route.expressRoute);
    if (!compiled) return undefined;
    const pathParams: Record<string, string> = {};
    try {
      for (let i = 0; i < route.keys.length; i++) {
        pathParams[route.keys[i] as string] = decodeURIComponent(match[i + 1] as string);
      }
    } catch {
      return undefined;
    }
    const data = {
      query: req.query ?? {},
      headers: req.headers,
      params: pathParams,
      cookies: undefined,
      body: req.body,
    };
    // Both run, as in the validator (its general function may coerce headers before the body's runs).
    const valid = compiled.general(data);
    const validBody = compiled.body(data);
    if (!(valid && validBody)) return undefined;
    // What the validator's route lookup leaves on the request, for the route's parameters.
    (req as Request & { openapi?: unknown }).openapi = {
      expressRoute: route.expressRoute,
      openApiRoute: route.openApiRoute,
      pathParams,
      schema,
      serial: context.serial,
    };
    req.params = pathParams;
    return { expressRoute: route.expressRoute, params: pathParams };
  };

  /** Whether this request's response is checked: drawn once per request, whoever asks first. */
  const responseChecked = (req: Request): boolean => {
    const holder = req as Request & { [RESPONSE_DRAW]?: boolean };
    let drawn = holder[RESPONSE_DRAW];
    if (drawn === undefined) {
      drawn = steps.response !== undefined && sampled();
      holder[RESPONSE_DRAW] = drawn;
    }
    return drawn;
  };

  return {
    validated: validateFast,
    responseChecked,
    middleware: function validateRequest(req: Request, res: Response, next: NextFunction) {
      // Before the validator sees it: its caches are keyed by the header (see validated-media-type.ts).
      canonicalise(req.headers);
      const checkResponse = responseChecked(req);
      if (validateFast(req) !== undefined) {
        if (!checkResponse) return next();
        // The response step needs the validator's own lookup (its copy of the response schemas).
        return runChain(lookupWithResponse, req, res, next, next);
      }
      return runChain(
        checkResponse ? fullWithResponse : full,
        req,
        res,
        () => {
          learn(req);
          next();
        },
        next,
      );
    },
  };
}
