/**
 * Spectral's own OpenAPI document check (the `oas3-schema` rule's function), meant to run on the
 * resolved document.
 *
 * The stock `oas3-schema` rule checks the document as written, before `$ref`s are followed. A path
 * item that is a `$ref` into another file (`/monitors: { $ref: 'longrun.yaml#/paths/~1monitors' }`, the
 * way a spec imports the contract's monitor paths) then fails OpenAPI 3.1's schema with
 * `"~1monitors" property must not have unevaluated properties`, though the document is valid
 * (stoplightio/spectral#2655; the fix, #2844, is not released). Run on the resolved document, the same
 * check sees the path item the `$ref` stands for, and still reports every real structural error.
 */
import { oasDocumentSchema } from '@stoplight/spectral-rulesets/dist/oas/functions/index.js';

export default oasDocumentSchema;
