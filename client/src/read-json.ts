/** Reading response bodies that should be JSON but may be empty or something else. */

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
