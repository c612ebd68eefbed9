/**
 * An error answer (4xx/5xx) that has a body must be an RFC 9457 problem: `application/problem+json`.
 * Run on one response of the resolved document; `context.path` ends with its status code.
 */
export default function problemResponse(response, _options, context) {
  if (
    typeof response !== 'object' ||
    response === null ||
    typeof response.content !== 'object' ||
    response.content === null
  ) {
    return [];
  }
  const types = Object.keys(response.content);
  if (types.length === 0 || types.includes('application/problem+json')) return [];
  const status = context.path.at(-1);
  return [
    {
      message:
        `The ${status} answer is ${types.join(', ')}: errors are RFC 9457 problems, so answer application/problem+json ` +
        "(e.g. `$ref: 'node_modules/@longrun/openapi/contract/longrun.yaml#/components/responses/BadRequest'`, or a schema of yours built on its Problem).",
    },
  ];
}
