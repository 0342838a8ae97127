import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, getDb, rowsOf, type Tx } from "@/db";
import { teams } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { conflict, notFound } from "@/lib/errors";
import { notifyTeamChange } from "@/lib/events/team-changes";
import { formatUsd } from "@/lib/format";
import { parseInput } from "@/lib/models/parse";

/** The key in teams.settings; absent or null means no cap. */
export const SPEND_CAP_KEY = "monthlySpendCapUsd";

export interface SpendCapStatus {
  capUsd: number | null;
  /** Cost of the runs queued since the first of the month (UTC). */
  spentUsd: number;
  monthStart: Date;
  reached: boolean;
}

/** The month-to-date spend and the cap, read in one query (cheap: runs(team_id, queued_at) index). */
export async function spendCapStatus(teamId: string, db?: Db | Tx): Promise<SpendCapStatus> {
  const handle = db ?? (await getDb());
  const [row] = rowsOf<{ cap: number | null; spent: number; month_start: string | Date }>(
    await handle.execute(sql`
      select (t.settings->>${SPEND_CAP_KEY})::float8 as cap,
        coalesce((select sum(r.cost_usd) from runs r
                  where r.team_id = t.id
                    and r.queued_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'), 0)::float8 as spent,
        date_trunc('month', now() at time zone 'UTC') at time zone 'UTC' as month_start
      from teams t where t.id = ${teamId}`),
  );
  if (!row) throw notFound("Team");
  const capUsd = row.cap ?? null;
  const spentUsd = Math.round(row.spent * 1e6) / 1e6;
  return {
    capUsd,
    spentUsd,
    monthStart: new Date(row.month_start),
    reached: capUsd !== null && spentUsd >= capUsd,
  };
}

export function spendCapMessage(status: Pick<SpendCapStatus, "capUsd" | "spentUsd">): string {
  return `The team's monthly spend cap of ${formatUsd(status.capUsd ?? 0)} is reached (${formatUsd(status.spentUsd)} spent this month). An admin can raise it on the Metrics page.`;
}

/** For every path that queues a run: refuses it once the month's spend has reached the cap. */
export async function assertWithinSpendCap(teamId: string, db?: Db | Tx): Promise<void> {
  const status = await spendCapStatus(teamId, db);
  if (status.reached) throw conflict(spendCapMessage(status));
}

/**
 * For the engine, before each model call: the message to stop with, or null. `capSet` is whether the
 * team has a cap as the run's last write read it (in the same statement); false spares the query.
 */
export async function spendCapStop(teamId: string, capSet?: boolean): Promise<string | null> {
  if (capSet === false) return null;
  const handle = await getDb();
  // Asked before every model call of every run: without a cap, skip summing the month's runs.
  const [team] = rowsOf<{ cap: string | null }>(
    await handle.execute(sql`select settings->>${SPEND_CAP_KEY} as cap from teams where id = ${teamId}`),
  );
  if (team?.cap == null) return null;
  const status = await spendCapStatus(teamId, handle);
  return status.reached ? spendCapMessage(status) : null;
}

export const spendCapSchema = z.object({
  capUsd: z
    .union([z.literal(""), z.null(), z.coerce.number({ error: "Enter an amount in dollars." })])
    .transform((value) => (value === "" || value === null ? null : value))
    .refine((value) => value === null || (Number.isFinite(value) && value > 0 && value <= 1_000_000), {
      message: "Enter an amount between $0.01 and $1,000,000, or leave it empty for no cap.",
    }),
});
export type SpendCapInput = z.input<typeof spendCapSchema>;

/** Sets or removes the team's monthly spend cap (admins). */
export async function setSpendCap(actor: Actor, raw: SpendCapInput): Promise<SpendCapStatus> {
  authorize(actor, "settings:manage");
  const { capUsd } = parseInput(spendCapSchema, raw);
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ settings: teams.settings })
      .from(teams)
      .where(eq(teams.id, actor.teamId))
      .for("update");
    if (!before) throw notFound("Team");
    // Only this key changes: other settings are written by other screens.
    await tx
      .update(teams)
      .set({
        settings:
          capUsd === null
            ? sql`${teams.settings} - ${SPEND_CAP_KEY}`
            : sql`jsonb_set(${teams.settings}, ${`{${SPEND_CAP_KEY}}`}::text[], to_jsonb(${capUsd}::numeric))`,
      })
      .where(eq(teams.id, actor.teamId));
    await recordAudit(
      tx,
      actor,
      "team.spend_cap_changed",
      { type: "team", id: actor.teamId },
      { from: before.settings[SPEND_CAP_KEY] ?? null, to: capUsd },
    );
    // Everyone's spend meter (app/api/metrics/spend) follows team changes: theirs shows the new cap at once.
    await notifyTeamChange(tx, { teamId: actor.teamId, kind: "settings" });
  });
  return spendCapStatus(actor.teamId);
}
