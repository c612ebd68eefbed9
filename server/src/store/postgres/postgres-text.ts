/** What PostgreSQL `text` cannot hold, and how the PostgreSQL adapters keep such values out of SQL. */

/**
 * True when a text key contains NUL, which PostgreSQL text cannot hold: such a key names nothing,
 * so reads answer "not found" instead of failing on an encoding error.
 */
export function hasNul(...values: string[]): boolean {
  return values.some((value) => value.includes('\u0000'));
}
