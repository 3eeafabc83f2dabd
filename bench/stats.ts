/** Latency figures of one scenario or one operation within it. */
export type Figures = {
  count: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Answers per second over the time from the first send to the last answer. */
  throughput: number;
};

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Percentiles of successful latencies; errors counted apart. */
export function figures(latencies: number[], errors: number, spanMs: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: latencies.length + errors,
    errors,
    p50: round(quantile(sorted, 0.5)),
    p95: round(quantile(sorted, 0.95)),
    p99: round(quantile(sorted, 0.99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
    throughput: spanMs > 0 ? round((latencies.length / spanMs) * 1000) : 0,
  };
}
