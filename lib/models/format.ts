const money = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});

/**
 * Dollars with at least cents and up to four decimals, so a price is never rounded away:
 * $3.00, $0.30, $0.075, $0.0042. (formatUsd in lib/format picks precision by size, which turns
 * $0.30 into $0.300; list prices and budgets read better as plain money.)
 */
export function formatMoney(value: number): string {
  return money.format(value);
}

const grouped = new Intl.NumberFormat("en-US");

/** 200000 → "200K", 1000000 → "1M", 32768 → "32,768". */
export function formatTokens(value: number): string {
  if (value >= 1_000_000 && value % 1_000_000 === 0) return `${value / 1_000_000}M`;
  if (value >= 1000 && value % 1000 === 0) return `${value / 1000}K`;
  return grouped.format(value);
}
