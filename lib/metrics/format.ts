import { formatUsd } from "@/lib/format";

/** 42 s, 7.5 min, 3.2 h, 2.1 d — one unit, one decimal at most. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return "—";
  const s = ms / 1000;
  if (s < 60) return `${Math.round(s)} s`;
  const units: [string, number][] = [
    ["d", 86_400],
    ["h", 3_600],
    ["min", 60],
  ];
  for (const [unit, size] of units) {
    if (s >= size) {
      const value = s / size;
      return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} ${unit}`;
    }
  }
  return `${Math.round(s)} s`;
}

export function formatPercent(rate: number | null | undefined, digits = 0): string {
  if (rate === null || rate === undefined) return "—";
  return `${(rate * 100).toFixed(digits)}%`;
}

export function formatMoney(value: number | null | undefined, unpriced = false): string {
  if (value === null || value === undefined) return "—";
  return `${formatUsd(value)}${unpriced ? "*" : ""}`;
}

export const formatCount = (n: number) => n.toLocaleString("en-US");

/** The change against the previous period: "+12%", "−3%", "new", or null when nothing to compare. */
export function formatChange(current: number | null, previous: number | null): string | null {
  if (current === null || previous === null) return null;
  if (previous === 0) return current === 0 ? "±0%" : "new";
  const change = (current - previous) / Math.abs(previous);
  const rounded = Math.round(change * 100);
  if (rounded === 0) return "±0%";
  return `${rounded > 0 ? "+" : "−"}${Math.abs(rounded)}%`;
}
