/**
 * Rewrites the validator's copy of the spec into an equivalent one that validates faster.
 *
 * A `oneOf` with a `discriminator` (the `AnyMonitor` union) is validated by Ajv as a plain `oneOf`:
 * every response is checked against every branch (six full `Monitor` validations), because Ajv's
 * own `discriminator` option supports neither `mapping` nor branches that pin the property inside
 * `allOf`. When each mapped branch pins the discriminator property to its mapping key (`const`),
 * the branches exclude each other, so the union is equivalent to "the property is one of the keys,
 * and the branch it names validates", written as `if`/`then` pairs: one `const` test per branch
 * and one full validation. Anything that does not have that shape is left as it is.
 *
 * @see https://spec.openapis.org/oas/v3.1.1.html#discriminator-object
 * @see https://ajv.js.org/json-schema.html#discriminator
 */

type SchemaObject = Record<string, unknown>;

const isObject = (value: unknown): value is SchemaObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The component schema a local `$ref` names (`#/components/schemas/X`), if any. */
function resolveRef(spec: SchemaObject, ref: unknown): SchemaObject | undefined {
  if (typeof ref !== 'string' || !ref.startsWith('#/components/schemas/')) return undefined;
  const schemas = (spec.components as SchemaObject | undefined)?.schemas as SchemaObject | undefined;
  const schema = schemas?.[ref.slice('#/components/schemas/'.length)];
  return isObject(schema) ? schema : undefined;
}

/** True when `schema`, or a member of its `allOf` (through local `$ref`s), passes `test`. */
function someMember(
  spec: SchemaObject,
  schema: SchemaObject,
  test: (member: SchemaObject) => boolean,
  depth = 0,
): boolean {
  if (depth > 8) return false;
  const target = schema.$ref === undefined ? schema : resolveRef(spec, schema.$ref);
  if (target === undefined) return false;
  if (test(target)) return true;
  return (
    Array.isArray(target.allOf) &&
    target.allOf.some((member) => isObject(member) && someMember(spec, member, test, depth + 1))
  );
}

/** True when `branch` only admits objects that have `property` equal to `value`. */
function pinsProperty(spec: SchemaObject, branch: SchemaObject, property: string, value: string): boolean {
  const isObjectType = someMember(spec, branch, (member) => member.type === 'object');
  const requires = someMember(
    spec,
    branch,
    (member) => Array.isArray(member.required) && member.required.includes(property),
  );
  const pins = someMember(spec, branch, (member) => {
    const pinned = (member.properties as SchemaObject | undefined)?.[property];
    return isObject(pinned) && pinned.const === value;
  });
  return isObjectType && requires && pins;
}

/**
 * The `if`/`then` form of a discriminated `oneOf`, or undefined when the rewrite would not be
 * equivalent (no mapping, a branch missing from it, a branch that does not pin its key).
 */
export function discriminatedUnion(spec: SchemaObject, schema: SchemaObject): SchemaObject | undefined {
  const discriminator = schema.discriminator;
  if (!isObject(discriminator) || !Array.isArray(schema.oneOf) || !isObject(discriminator.mapping)) return undefined;
  const property = discriminator.propertyName;
  if (typeof property !== 'string') return undefined;
  const mapping = Object.entries(discriminator.mapping);
  const branches = new Set(schema.oneOf.map((branch) => (isObject(branch) ? branch.$ref : undefined)));
  const mapped = new Set(mapping.map(([, ref]) => ref));
  if (branches.size !== schema.oneOf.length || mapped.size !== mapping.length || branches.size !== mapped.size)
    return undefined;
  for (const ref of branches) if (!mapped.has(ref)) return undefined;
  for (const [value, ref] of mapping) {
    if (typeof ref !== 'string' || !pinsProperty(spec, { $ref: ref }, property, value)) return undefined;
  }
  const { oneOf: _oneOf, discriminator: _discriminator, ...rest } = schema;
  return {
    ...rest,
    type: 'object',
    required: [property],
    properties: { [property]: { enum: mapping.map(([value]) => value) } },
    allOf: mapping.map(([value, ref]) => ({
      if: { properties: { [property]: { const: value } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a promise
      then: { $ref: ref },
    })),
  };
}

/**
 * Rewrites every discriminated `oneOf` among `components.schemas` of `spec` (in place) into its
 * equivalent `if`/`then` form; returns the names of the schemas rewritten.
 */
export function rewriteDiscriminatedUnions(spec: SchemaObject): string[] {
  const schemas = (spec.components as SchemaObject | undefined)?.schemas;
  if (!isObject(schemas)) return [];
  const rewritten: string[] = [];
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isObject(schema)) continue;
    const union = discriminatedUnion(spec, schema);
    if (union === undefined) continue;
    schemas[name] = union;
    rewritten.push(name);
  }
  return rewritten;
}
