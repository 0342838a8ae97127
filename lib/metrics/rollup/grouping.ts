// How a query over the rollup groups its rows: the grouping sets, the columns that say which set a result
// row belongs to, and the split of the results — one statement serves the chosen grouping, the agent
// leaderboard and the per-day series at once.
import { type SQL, sql } from "drizzle-orm";
import type { Percentiles } from "../percentiles";
import type { GroupBy } from "../range";

export interface Grouping {
  /** The chosen key, or null for the total alone. */
  groupBy: GroupBy | null;
  /** Also per agent (the leaderboard, when the chosen key is another). */
  agents?: boolean;
  /** Also per UTC day (the day's total). */
  days?: boolean;
  /** Also per UTC day and key (the spend chart's stacks). */
  dayKeys?: boolean;
}

/** Which grouping set a result row belongs to, and its key, agent and day there. */
export interface SetRow {
  key: string | null;
  agent_key: string | null;
  day: string | null;
  by_key: boolean;
  by_agent: boolean;
  by_day: boolean;
}

/** The grouping sets of `keyed` (rollup/facts.ts) for a grouping, and the select list naming each row's set. */
export function groupingSets(g: Grouping): { sets: SQL; columns: SQL } {
  const sets = [sql`()`];
  if (g.groupBy) sets.push(sql`(key)`);
  if (g.agents) sets.push(sql`(agent_key)`);
  if (g.days) sets.push(sql`(d)`);
  if (g.days && g.dayKeys && g.groupBy) sets.push(sql`(d, key)`);
  // grouping() only accepts columns that some set groups by.
  const column = (name: string, on: boolean) => (on ? sql.raw(name) : sql`null::text`);
  const grouped = (name: string, on: boolean) => (on ? sql.raw(`grouping(${name}) = 0`) : sql`false`);
  return {
    sets: sql.join(sets, sql`, `),
    columns: sql`${column("key", !!g.groupBy)} as key, ${column("agent_key", !!g.agents)} as agent_key,
      ${column("d", !!g.days)} as day, ${grouped("key", !!g.groupBy)} as by_key,
      ${grouped("agent_key", !!g.agents)} as by_agent, ${grouped("d", !!g.days)} as by_day`,
  };
}

/** The result rows by set: the total, per key, per agent, per day (totals) and per day and key. */
export function splitSets<T extends SetRow>(rows: T[]) {
  return {
    total: rows.find((row) => !row.by_key && !row.by_agent && !row.by_day),
    groups: rows.filter((row) => row.by_key && !row.by_day),
    /** Keyed by agent: `key` is the agent's id. */
    agents: rows.filter((row) => row.by_agent).map((row) => ({ ...row, key: row.agent_key })),
    days: rows.filter((row) => row.by_day && !row.by_key),
    dayGroups: rows.filter((row) => row.by_day && row.by_key),
  };
}

/** A percentile of the values of a result row's own set (none for a day and key: no chart shows it). */
export function percentileOfSet(p: Percentiles, row: SetRow, q: number): number | null {
  if (row.by_day) return row.by_key ? null : p.ofDay(row.day, q);
  if (row.by_key) return p.ofKey(row.key, q);
  if (row.by_agent) return p.ofAgent(row.agent_key, q);
  return p.total(q);
}
