/** Order statistics for latency samples and repeated runs. */

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile (q in 0..1) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export const median = (samples: readonly number[]) => percentile(samples, 0.5);

export function summarize(samples: readonly number[]): Summary {
  const n = samples.length;
  return {
    n,
    p50: round(percentile(samples, 0.5)),
    p99: round(percentile(samples, 0.99)),
    min: round(n ? Math.min(...samples) : Number.NaN),
    max: round(n ? Math.max(...samples) : Number.NaN),
    mean: round(n ? samples.reduce((a, b) => a + b, 0) / n : Number.NaN),
  };
}

/** One decimal for milliseconds and rates; NaN stays NaN (JSON: null). */
export const round = (x: number, digits = 1) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** "12.3 ms" or "—" when a figure is missing. */
export const ms = (x: number | undefined) =>
  x === undefined || Number.isNaN(x) ? "—" : `${round(x)} ms`;

export const pct = (ratio: number | undefined) =>
  ratio === undefined || Number.isNaN(ratio) ? "—" : `${Math.round(ratio * 100)} %`;

export const int = (x: number | undefined) =>
  x === undefined || Number.isNaN(x) ? "—" : Math.round(x).toLocaleString("en-US");
