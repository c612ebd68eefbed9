/** Reading response bodies that should be JSON but may be empty or something else. */

/**
 * The `Accept` of a request whose answer is read as JSON: the representation, or an RFC 9457 problem
 * (errors are `application/problem+json`; a server, or Prism, may refuse to send one a request did not accept).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457#section-3 problem documents
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-12.5.1 Accept
 */
export const jsonAccept = 'application/json, application/problem+json';

/**
 * Parses a response body as JSON; `undefined` when it is empty, unreadable or not JSON (an error
 * answer from a proxy is often HTML).
 *
 * @example const body = await readJson(response);
 */
export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
