// One reading of "which period, grouped how" for the page, the API, the CSV and the bench.
// Days are UTC days; a range is [from, to) with `to` exclusive, so 7 days ending today includes today.
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { badRequest } from "@/lib/errors";
import { parseInput } from "@/lib/models/parse";

export const GROUP_BYS = ["agent", "model", "repo", "person"] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
export const PRESETS = ["7d", "30d", "90d"] as const;
export type Preset = (typeof PRESETS)[number];

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-01.");

export const metricsQuerySchema = z
  .object({
    range: z.enum([...PRESETS, "custom"]).optional(),
    from: day.optional(),
    to: day.optional(),
    groupBy: z.enum(GROUP_BYS, { error: "Group by agent, model, repo or person." }).default("agent"),
  })
  .refine((q) => (q.from === undefined) === (q.to === undefined), {
    message: "Give both from and to, or neither.",
    path: ["from"],
  });
export type MetricsQueryInput = z.input<typeof metricsQuerySchema>;

export interface MetricsRange {
  from: Date;
  /** Exclusive. */
  to: Date;
  days: number;
  groupBy: GroupBy;
  /** The preset the range came from, or "custom". */
  range: Preset | "custom";
  /** The period of the same length just before, for the change shown on the KPI tiles. */
  previous: { from: Date; to: Date };
}

export const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const startOfUtcDay = (date: Date) =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));

/** Resolves a query (from URL search params or API) into exact bounds; `now` is injectable for tests. */
export function resolveRange(raw: MetricsQueryInput | undefined, now: Date = new Date()): MetricsRange {
  const input = parseInput(metricsQuerySchema, raw ?? {});
  let from: Date;
  let to: Date;
  let range: Preset | "custom";
  if (input.from && input.to) {
    from = new Date(`${input.from}T00:00:00Z`);
    // `to` is the last day included.
    to = new Date(new Date(`${input.to}T00:00:00Z`).getTime() + DAY_MS);
    if (Number.isNaN(from.getTime())) throw badRequest("Use a date like 2026-11-01.", "from");
    if (Number.isNaN(to.getTime())) throw badRequest("Use a date like 2026-11-01.", "to");
    if (to <= from) throw badRequest("The end date must be on or after the start date.", "to");
    if ((to.getTime() - from.getTime()) / DAY_MS > MAX_DAYS) {
      throw badRequest(`Choose at most ${MAX_DAYS} days.`, "from");
    }
    range = "custom";
  } else {
    const preset: Preset = input.range && input.range !== "custom" ? input.range : "30d";
    const days = Number.parseInt(preset, 10);
    to = new Date(startOfUtcDay(now).getTime() + DAY_MS);
    from = new Date(to.getTime() - days * DAY_MS);
    range = preset;
  }
  const length = to.getTime() - from.getTime();
  return {
    from,
    to,
    days: Math.round(length / DAY_MS),
    groupBy: input.groupBy,
    range,
    previous: { from: new Date(from.getTime() - length), to: from },
  };
}

/** Reads the page's URL search params (?range=7d | ?from&to, ?group=). */
export function rangeFromSearchParams(
  params: Record<string, string | string[] | undefined>,
  now?: Date,
): MetricsRange {
  const one = (key: string) => {
    const value = params[key];
    return Array.isArray(value) ? value[0] : value || undefined;
  };
  const groupBy = one("group") ?? one("groupBy");
  return resolveRange(
    {
      range: one("range") as MetricsQueryInput["range"],
      from: one("from"),
      to: one("to"),
      groupBy: (GROUP_BYS as readonly string[]).includes(groupBy ?? "") ? (groupBy as GroupBy) : "agent",
    },
    now,
  );
}

/** The URL search string of a range (for links to the runs behind a number). */
export function rangeSearch(range: MetricsRange, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  if (range.range === "custom") {
    params.set("from", isoDay(range.from));
    params.set("to", isoDay(new Date(range.to.getTime() - DAY_MS)));
  } else params.set("range", range.range);
  params.set("group", range.groupBy);
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) params.set(key, value);
  return params.toString();
}

export function dayList(range: Pick<MetricsRange, "from" | "to">): string[] {
  const days: string[] = [];
  for (let t = range.from.getTime(); t < range.to.getTime(); t += DAY_MS) days.push(isoDay(new Date(t)));
  return days;
}

/** The group key of a run row (alias r, with its task as t). */
export function runGroupKey(groupBy: GroupBy): SQL {
  switch (groupBy) {
    case "agent":
      return sql.raw("r.agent_id::text");
    case "model":
      return sql.raw("r.model");
    case "repo":
      return sql.raw("t.repo_id::text");
    case "person":
      return sql.raw("t.assigned_by::text");
  }
}

/**
 * The group key of a task row (alias t). A task's model is the model of its latest run: the agent's model
 * can change between runs, and the latest run is the one whose outcome the task has.
 */
export function taskGroupKey(groupBy: GroupBy): SQL {
  switch (groupBy) {
    case "agent":
      return sql.raw("t.agent_id::text");
    case "model":
      return sql.raw(
        "(select lr.model from runs lr where lr.task_id = t.id and lr.kind <> 'judge' order by lr.queued_at desc, lr.id desc limit 1)",
      );
    case "repo":
      return sql.raw("t.repo_id::text");
    case "person":
      return sql.raw("t.assigned_by::text");
  }
}
