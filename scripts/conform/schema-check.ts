/**
 * Checks a value against a schema of the spec (a product, an inline result, a request body) with Ajv,
 * and derives the two other bodies the checks send: one that breaks the schema, and one that keeps it
 * but differs from the example (for the `Idempotency-Key` reuse check).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { isObject, type Json, type Spec } from './spec.ts';

/** Validates values against schemas of one spec. */
export class SchemaCheck {
  private readonly ajv: Ajv2020;
  private readonly spec: Spec;

  constructor(spec: Spec) {
    this.spec = spec;
    // Not strict: specs carry OpenAPI keywords (example, discriminator, xml) that are not JSON Schema.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats.default(this.ajv);
    // The whole document under one id, so `#/components/schemas/…` inside schemas resolve.
    this.ajv.addSchema({ components: spec.document.components ?? {} }, 'spec');
  }

  /** Problems of `value` against the component schema `name` (`[]` when valid). */
  component(name: string, value: unknown): string[] {
    const validate = this.ajv.getSchema(`spec#/components/schemas/${name}`);
    if (!validate) return [`the spec has no schema ${name}`];
    return validate(value) ? [] : describe(validate.errors);
  }

  /** Problems of `value` against an inline schema (which may refer to components). */
  inline(schema: Json, value: unknown): string[] {
    const validate = this.ajv.compile(rewriteRefs(schema));
    return validate(value) ? [] : describe(validate.errors);
  }

  /** A body that breaks `schema`: missing its required properties, or a property of the wrong type. */
  invalidBody(schema: Json | undefined): unknown {
    if (schema === undefined) return undefined;
    const resolved = this.spec.deref(schema);
    const candidates: unknown[] = [{}, [], 'not an object', 12345];
    const properties = isObject(resolved.properties) ? resolved.properties : {};
    for (const [name, property] of Object.entries(properties)) {
      const type = this.spec.deref(property).type;
      candidates.push({ [name]: type === 'string' ? 12345 : 'not-valid' });
    }
    return candidates.find((candidate) => this.inline(resolved, candidate).length > 0);
  }

  /** A body valid against `schema` that differs from `body` in one value (nested ones too), if one can be found. */
  variantBody(schema: Json | undefined, body: unknown): unknown {
    if (schema === undefined || !isObject(body)) return undefined;
    const resolved = this.spec.deref(schema);
    for (const candidate of variants(body, resolved, this.spec)) {
      if (this.inline(resolved, candidate).length === 0) return candidate;
    }
    return undefined;
  }
}

/** Copies of `value` with one leaf changed, depth first, up to a few levels deep. */
function* variants(value: unknown, schema: Json, spec: Spec, depth = 0): Generator<unknown> {
  if (isObject(value) && depth < 4) {
    const properties = isObject(schema.properties) ? schema.properties : {};
    for (const [name, child] of Object.entries(value)) {
      const childSchema = spec.deref<Json>(properties[name] ?? {});
      for (const changed of variants(child, childSchema, spec, depth + 1)) yield { ...value, [name]: changed };
    }
    return;
  }
  yield* alternatives(value, schema);
}

/** Other values a property could take, in the order worth trying. */
function alternatives(value: unknown, property: Json): unknown[] {
  if (Array.isArray(property.enum)) return property.enum.filter((option) => option !== value);
  if (typeof value === 'string') return [`${value}x`, value.slice(0, -1), 'conform'];
  if (typeof value === 'number') return [value + 1, value - 1];
  if (typeof value === 'boolean') return [!value];
  if (Array.isArray(value) && value.length > 1) return [value.slice(0, 1)];
  return [];
}

/** Points a schema's local refs (`#/components/…`) at the document registered as `spec`. */
function rewriteRefs(schema: unknown): Json {
  const text = JSON.stringify(schema).replaceAll('"$ref":"#/', '"$ref":"spec#/');
  const { $ref: _unused, ...rest } = JSON.parse(text) as Json;
  return typeof _unused === 'string' ? { allOf: [{ $ref: _unused }], ...rest } : rest;
}

function describe(errors: { instancePath: string; message?: string }[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
}
