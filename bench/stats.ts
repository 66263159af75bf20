/** Percentile of sorted nanosecond samples. */
export function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export interface LatencySummary {
  opsPerSec: number;
  p50ns: number;
  p99ns: number;
}

/**
 * Runs `op` `iterations` times, timing each call; the loop's own cost is in both the subject
 * and its baseline, so the ratio between them is fair.
 */
export async function measure(iterations: number, op: (i: number) => unknown): Promise<LatencySummary> {
  const samples = new Float64Array(iterations);
  // Start from a clean heap (when run with --expose-gc) so one run's garbage does not time the next.
  (globalThis as { gc?: () => void }).gc?.();
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    const result = op(i);
    if (result instanceof Promise) await result;
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  const elapsed = Number(process.hrtime.bigint() - started);
  samples.sort();
  return {
    opsPerSec: (iterations / elapsed) * 1e9,
    p50ns: percentile(samples, 50),
    p99ns: percentile(samples, 99),
  };
}
