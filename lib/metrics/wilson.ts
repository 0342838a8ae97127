/**
 * The 95% Wilson score interval of a proportion: unlike ±1.96·√(p(1−p)/n) it stays inside [0, 1] and is
 * honest for small samples (3 of 3 is not "100% ± 0").
 */
export function wilsonInterval(
  successes: number,
  n: number,
  z = 1.959964,
): { low: number; high: number } | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}
