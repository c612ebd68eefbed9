/**
 * The API key the user pasted, kept in `sessionStorage`: it lasts while the tab is open (a reload
 * keeps it) and is never written to disk beyond the browser's session.
 */
const STORAGE_KEY = 'longrun.apiKey';

/** The key kept for this tab, if any. */
export function storedApiKey(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    // Storage can be off (a privacy setting): the key then lasts until the page is left.
    return undefined;
  }
}

/** Keeps the key for this tab, or forgets it. */
export function storeApiKey(key: string | undefined): void {
  try {
    if (key === undefined) sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, key);
  } catch {
    // See storedApiKey.
  }
}
