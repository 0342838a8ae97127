// Exact percentiles of the values the daily rollup keeps (wall times, turnarounds …), computed here rather
// than by percentile_cont in the query: sorting a few tens of thousands of numbers in a Float64Array is a
// fraction of what the same sorts cost the database as tuples, once per grouping set.

/**
 * PostgreSQL's percentile_cont over sorted values: linear interpolation between the two nearest ranks, with
 * the same floating-point steps (so the same result to the last bit).
 */
export function percentileCont(sorted: Float64Array, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const position = q * (n - 1);
  const first = Math.floor(position);
  const second = Math.ceil(position);
  const low = sorted[first] as number;
  if (first === second) return low;
  return low + ((sorted[second] as number) - low) * (position - first);
}

/** One rollup row's raw values: its group key, its agent, its day, and the values of each kept column. */
export type ValueRow = [
  key: string | null,
  agent: string | null,
  day: string,
  ...columns: (number[] | null)[],
];

export interface Percentiles {
  total: (q: number) => number | null;
  ofKey: (key: string | null, q: number) => number | null;
  ofAgent: (agent: string | null, q: number) => number | null;
  ofDay: (day: string | null, q: number) => number | null;
}

/** The percentiles of column `index` of the rows, in total, per group key, per agent and per day. */
export function percentilesOf(rows: ValueRow[], index: number): Percentiles {
  const all: number[] = [];
  const byKey = new Map<string | null, number[]>();
  const byAgent = new Map<string | null, number[]>();
  const byDay = new Map<string, number[]>();
  const add = <K>(map: Map<K, number[]>, group: K, values: number[]) => {
    const list = map.get(group);
    if (list) for (const value of values) list.push(value);
    else map.set(group, [...values]);
  };
  for (const row of rows) {
    const values = row[3 + index] as number[] | null;
    if (!values?.length) continue;
    for (const value of values) all.push(value);
    add(byKey, row[0], values);
    add(byAgent, row[1], values);
    add(byDay, row[2], values);
  }
  // Each group is sorted once, on first use.
  const sortedOf = <K>(map: Map<K, number[]>) => {
    const cache = new Map<K, Float64Array>();
    return (group: K, q: number) => {
      const values = map.get(group);
      if (!values) return null;
      let sorted = cache.get(group);
      if (!sorted) {
        sorted = Float64Array.from(values).sort();
        cache.set(group, sorted);
      }
      return percentileCont(sorted, q);
    };
  };
  const ofDay = sortedOf(byDay);
  const total = sortedOf(new Map([[null, all]]));
  return {
    total: (q) => total(null, q),
    ofKey: sortedOf(byKey),
    ofAgent: sortedOf(byAgent),
    ofDay: (day, q) => (day === null ? null : ofDay(day, q)),
  };
}
