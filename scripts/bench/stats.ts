/**
 * Summaries of repeated measurements: the median and its spread, never a single run.
 */

/** The median of several rounds with their spread. */
export interface Summary {
  /** The median of the rounds. */
  median: number;
  min: number;
  max: number;
  /** First and third quartiles (linear interpolation between closest ranks). */
  q1: number;
  q3: number;
  /** How many rounds were summarised. */
  n: number;
}

/** The `p`-quantile (0–1) of sorted values, interpolating between closest ranks. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (position - below);
}

/**
 * Summarises rounds: median, min, max and quartiles. Empty input gives NaN figures with `n: 0`.
 *
 * @example summarise([3, 1, 2]) // { median: 2, min: 1, max: 3, q1: 1.5, q3: 2.5, n: 3 }
 */
export function summarise(values: readonly number[]): Summary {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    n: sorted.length,
  };
}

/** Element-wise ratios `a[i] / b[i]` of two paired series (same round, same machine). */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) ratios.push((a[i] as number) / (b[i] as number));
  return ratios;
}
