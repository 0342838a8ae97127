import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { rowsOf, type Tx } from "@/db";
import type { ValueRow } from "../percentiles";
import { type GroupBy, isoDay } from "../range";
import { queryRows } from "../sql";
import {
  REVIEW_COLUMNS,
  RUN_COLUMNS,
  reviewDayRows,
  runDayRows,
  TASK_COLUMNS,
  taskDayRows,
} from "./day-rows";
import { type Grouping, groupingSets, type SetRow } from "./grouping";

export const ROLLUPS = {
  run: { table: "metrics_run_days", columns: RUN_COLUMNS, rows: runDayRows },
  review: { table: "metrics_review_days", columns: REVIEW_COLUMNS, rows: reviewDayRows },
  task: { table: "metrics_task_days", columns: TASK_COLUMNS, rows: taskDayRows },
} as const;
export type RollupKind = keyof typeof ROLLUPS;

/** The team's days in [from, to) marked dirty (read in the same snapshot as the query that uses them). */
export async function dirtyDays(tx: Tx, teamId: string, from: Date, to: Date): Promise<string[]> {
  const rows = rowsOf<{ day: string }>(
    await tx.execute(sql`select to_char(day, 'YYYY-MM-DD') as day from metrics_dirty_days
      where team_id = ${teamId} and day >= ${isoDay(from)}::date and day < ${isoDay(to)}::date`),
  );
  return rows.map((row) => row.day);
}

/**
 * A CTE `<kind>_facts` holding the rollup rows of the UTC days in [from, to): compacted days from the rollup
 * table, the `dirty` ones recomputed from the raw rows. With `dirty` read in the same snapshot (queryRows
 * runs both in one repeatable-read transaction) the result is the same whether or not compaction has run.
 * `from` and `to` are UTC midnights (see range.ts).
 */
export function factsCte(kind: RollupKind, teamId: string, from: Date, to: Date, dirty: string[]): SQL {
  const { table, columns, rows } = ROLLUPS[kind];
  const list = sql.raw(columns.join(", "));
  return sql`${sql.raw(kind)}_facts as (
    select ${list} from ${sql.raw(table)} m
    where m.team_id = ${teamId} and m.day >= ${isoDay(from)}::date and m.day < ${isoDay(to)}::date
      and m.day <> all(${`{${dirty.join(",")}}`}::date[])
    union all
    select ${list} from (${rows(teamId, dirty)}) recomputed
  )`;
}

/**
 * The CTEs `<kind>_facts` and `keyed` (those rows with their group key `key`, agent `agent_key` and day `d`)
 * for a query run by queryRows: the dirty days are read first, in the same snapshot.
 */
export async function keyedFacts(
  tx: Tx,
  kind: RollupKind,
  teamId: string,
  range: { from: Date; to: Date },
  groupBy: GroupBy | null,
): Promise<SQL> {
  const dirty = await dirtyDays(tx, teamId, range.from, range.to);
  return sql`${factsCte(kind, teamId, range.from, range.to, dirty)},
    keyed as (select ${factKey(groupBy)} as key, agent_id::text as agent_key, ${FACT_DAY} as d, *
              from ${sql.raw(kind)}_facts)`;
}

/** The group key of a rollup row (null: no grouping, the total only). */
export function factKey(groupBy: GroupBy | null): SQL {
  switch (groupBy) {
    case null:
      return sql.raw("null::text");
    case "agent":
      return sql.raw("agent_id::text");
    case "model":
      return sql.raw("model");
    case "repo":
      return sql.raw("repo_id::text");
    case "person":
      return sql.raw("person_id::text");
  }
}

/** A rollup row's day as the YYYY-MM-DD the charts use. */
export const FACT_DAY = sql.raw("to_char(day, 'YYYY-MM-DD')");

/**
 * One statement over the rollup rows of a period (one snapshot with the dirty days it read first): the
 * `sums` (aggregates over the CTE `keyed`, grouped as `grouping` says, with the columns naming each result
 * row's set) and each rollup row's raw `values` columns with its key, agent and day, for the percentiles
 * (percentiles.ts). Both come back as JSON.
 */
export async function queryFacts<T extends SetRow>(
  kind: RollupKind,
  teamId: string,
  range: { from: Date; to: Date },
  grouping: Grouping,
  sums: SQL,
  values: string[],
): Promise<{ rows: T[]; values: ValueRow[] }> {
  const { sets, columns } = groupingSets(grouping);
  const [result] = await queryRows<{ rows: T[]; vals: ValueRow[] }>(
    async (tx) => sql`
      with ${await keyedFacts(tx, kind, teamId, range, grouping.groupBy)},
      sums as (select ${columns}, ${sums} from keyed group by grouping sets (${sets}))
      select (select coalesce(json_agg(s), '[]'::json) from sums s) as rows,
        (select coalesce(json_agg(json_build_array(key, agent_key, d, ${sql.raw(values.join(", "))})), '[]'::json)
         from keyed) as vals`,
  );
  return { rows: result?.rows ?? [], values: result?.vals ?? [] };
}
