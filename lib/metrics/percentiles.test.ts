// The percentiles computed in JS equal PostgreSQL's percentile_cont to the last bit, on awkward inputs.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db";
import { percentileCont, percentilesOf, type ValueRow } from "./percentiles";

async function postgres(values: number[], q: number): Promise<number | null> {
  const db = await getDb();
  const [row] = rowsOf<{ p: number | null }>(
    await db.execute(sql`select (percentile_cont(${q}::float8) within group (order by x))::float8 as p
      from unnest(${`{${values.join(",")}}`}::float8[]) x`),
  );
  return row?.p ?? null;
}

describe("percentiles", () => {
  it("match percentile_cont exactly", async () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const samples = [
      [600_000],
      [1, 2, 3, 4],
      [240_000, 310_000, 600_000, 600_000, 600_000, 1_200_000, 1_260_000, 1_800_000, 1_800_000],
      Array.from({ length: 997 }, () => Math.round(random() * 3_600_000 * 1000) / 1000),
      Array.from({ length: 50 }, () => random() * 1e-3 + 0.1),
    ];
    for (const values of samples) {
      const sorted = Float64Array.from(values).sort();
      for (const q of [0, 0.1, 0.5, 0.9, 0.95, 1]) {
        expect(percentileCont(sorted, q), `q=${q} of ${values.length}`).toBe(await postgres(values, q));
      }
    }
    expect(percentileCont(new Float64Array(), 0.5)).toBeNull();
  });

  it("group the rollup rows' values in total, per key and per day", () => {
    const rows: ValueRow[] = [
      ["a", "x", "2026-11-15", [1, 3]],
      ["b", "x", "2026-11-15", [10]],
      ["a", "y", "2026-11-16", [5], null],
      [null, "y", "2026-11-16", []],
    ];
    const p = percentilesOf(rows, 0);
    expect(p.total(0.5)).toBe(4); // 1, 3, 5, 10
    expect(p.ofKey("a", 0.5)).toBe(3);
    expect(p.ofKey(null, 0.5)).toBeNull();
    expect(p.ofAgent("x", 0.5)).toBe(3); // 1, 3, 10
    expect(p.ofDay("2026-11-15", 0.9)).toBeCloseTo(8.6, 12); // 1, 3, 10: 3 + 0.8 × 7
    expect(p.ofDay("2026-11-17", 0.5)).toBeNull();
  });
});
