import "server-only";
import { count, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { memberships, type Team, teams } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { notFound } from "@/lib/errors";
import { parseInput } from "@/lib/models/parse";
import { formNumber } from "@/lib/models/schema";
import { DEFAULT_TEAM_CONCURRENCY, MAX_CONCURRENCY_CAP } from "@/lib/queue/caps";

export const renameTeamSchema = z.object({
  name: z.string().trim().min(1, "Enter a team name.").max(100, "At most 100 characters."),
});
export type RenameTeamInput = z.input<typeof renameTeamSchema>;

export type TeamSummary = Pick<Team, "id" | "name" | "createdAt"> & { memberCount: number };

export async function getTeam(actor: Actor): Promise<TeamSummary> {
  authorize(actor, "team:read");
  const db = await getDb();
  const [team] = await db
    .select({ id: teams.id, name: teams.name, createdAt: teams.createdAt })
    .from(teams)
    .where(eq(teams.id, actor.teamId));
  if (!team) throw notFound("Team");
  const [members] = await db
    .select({ n: count() })
    .from(memberships)
    .where(eq(memberships.teamId, actor.teamId));
  return { ...team, memberCount: members?.n ?? 0 };
}

export async function renameTeam(actor: Actor, raw: RenameTeamInput): Promise<Team> {
  authorize(actor, "settings:manage");
  const input = parseInput(renameTeamSchema, raw);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(teams).where(eq(teams.id, actor.teamId)).for("update");
    if (!before) throw notFound("Team");
    if (before.name === input.name) return before;
    const [team] = await tx
      .update(teams)
      .set({ name: input.name })
      .where(eq(teams.id, actor.teamId))
      .returning();
    if (!team) throw notFound("Team");
    await recordAudit(
      tx,
      actor,
      "team.renamed",
      { type: "team", id: team.id },
      { from: before.name, to: team.name },
    );
    return team;
  });
}

// ---------------------------------------------------------------------------------------------------
// Team settings stored in teams.settings (jsonb). One zod schema per settings group. Adding a group:
// its schema in SETTINGS_GROUPS (what an admin submits) and in teamSettingsSchema (how it is read, with
// a .catch default), an action calling updateTeamSettings(actor, "<group>", input) in
// app/(dashboard)/settings/general/actions.ts, and one Card with its form on that page.

/** Board columns that take a work-in-progress limit (finished columns don't). */
export const WIP_COLUMNS = ["queued", "running", "needs_human", "in_review", "changes_requested"] as const;
export type WipColumn = (typeof WIP_COLUMNS)[number];

const wipLimit = z.preprocess(
  (value) => (value === "" || value === null || value === undefined ? undefined : value),
  z.coerce
    .number({ error: "Enter a whole number." })
    .int("Enter a whole number.")
    .min(1, "A limit is at least 1 (leave it empty for none).")
    .max(1000, "At most 1000.")
    .optional(),
);

export const wipLimitsSchema = z.object(
  Object.fromEntries(WIP_COLUMNS.map((column) => [column, wipLimit])) as Record<WipColumn, typeof wipLimit>,
);
export type WipLimits = Partial<Record<WipColumn, number>>;

/** A checkbox as a form posts it ("on" when ticked, absent when not) or as JSON sends it. */
const checkbox = z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean());

/** Reviews: an approval must come from someone other than the person who assigned the task. */
export const approvalsSchema = z.object({ requireIndependentApproval: checkbox });

/**
 * Conflicts: when the base moves under an open task and its branch would now conflict (lib/conflicts),
 * hand it back to its agent to merge the base and resolve, without waiting for someone to click.
 */
export const conflictsSchema = z.object({ autoResolveBaseConflicts: checkbox });

/** Runs: how many of the team's runs may be active at once; more wait in the queue. Empty: the default. */
export const runsSchema = z.object({
  maxConcurrentRuns: formNumber({
    label: "Runs at once",
    integer: true,
    min: 1,
    max: MAX_CONCURRENCY_CAP,
    empty: DEFAULT_TEAM_CONCURRENCY,
    minMessage: "At least 1 run at once.",
    maxMessage: `At most ${MAX_CONCURRENCY_CAP.toLocaleString("en-US")} runs at once.`,
  }),
});

/** How long a discarded task's branches are kept readable (lib/tasks/archive.ts), in days. */
export const DEFAULT_DISCARDED_RETENTION_DAYS = 30;
export const MAX_DISCARDED_RETENTION_DAYS = 3650;

/** Discarded work: days its diff stays readable after the discard; 0 keeps it forever. Empty: the default. */
export const discardedSchema = z.object({
  retentionDays: formNumber({
    label: "Days kept",
    integer: true,
    min: 0,
    max: MAX_DISCARDED_RETENTION_DAYS,
    empty: DEFAULT_DISCARDED_RETENTION_DAYS,
    minMessage: "0 days or more (0 keeps discarded work forever).",
    maxMessage: `At most ${MAX_DISCARDED_RETENTION_DAYS.toLocaleString("en-US")} days (0 keeps it forever).`,
  }),
});

export const SETTINGS_GROUPS = {
  wipLimits: wipLimitsSchema,
  approvals: approvalsSchema,
  runs: runsSchema,
  conflicts: conflictsSchema,
  discarded: discardedSchema,
} as const;
export type SettingsGroup = keyof typeof SETTINGS_GROUPS;

/** The team's settings as the app reads them; anything malformed in the row falls back to "unset". */
export const teamSettingsSchema = z.object({
  wipLimits: wipLimitsSchema.catch({}).default({}),
  approvals: approvalsSchema
    .catch({ requireIndependentApproval: false })
    .default({ requireIndependentApproval: false }),
  runs: runsSchema
    .catch({ maxConcurrentRuns: DEFAULT_TEAM_CONCURRENCY })
    .default({ maxConcurrentRuns: DEFAULT_TEAM_CONCURRENCY }),
  conflicts: conflictsSchema
    .catch({ autoResolveBaseConflicts: false })
    .default({ autoResolveBaseConflicts: false }),
  discarded: discardedSchema
    .catch({ retentionDays: DEFAULT_DISCARDED_RETENTION_DAYS })
    .default({ retentionDays: DEFAULT_DISCARDED_RETENTION_DAYS }),
});
export type ParsedTeamSettings = z.output<typeof teamSettingsSchema>;

export async function getTeamSettings(actor: Actor): Promise<ParsedTeamSettings> {
  authorize(actor, "team:read");
  const db = await getDb();
  const [team] = await db.select({ settings: teams.settings }).from(teams).where(eq(teams.id, actor.teamId));
  if (!team) throw notFound("Team");
  return teamSettingsSchema.parse(team.settings ?? {});
}

function withoutEmpty(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** Replaces one settings group (admins), audited with its before and after. */
export async function updateTeamSettings<G extends SettingsGroup>(
  actor: Actor,
  group: G,
  raw: z.input<(typeof SETTINGS_GROUPS)[G]>,
): Promise<ParsedTeamSettings> {
  authorize(actor, "settings:manage");
  const value = withoutEmpty(parseInput(SETTINGS_GROUPS[group], raw) as Record<string, unknown>);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ settings: teams.settings })
      .from(teams)
      .where(eq(teams.id, actor.teamId))
      .for("update");
    if (!before) throw notFound("Team");
    const settings = { ...(before.settings ?? {}), [group]: value };
    await tx.update(teams).set({ settings }).where(eq(teams.id, actor.teamId));
    await recordAudit(
      tx,
      actor,
      "team.settings_changed",
      { type: "team", id: actor.teamId },
      { group, from: before.settings?.[group] ?? null, to: value },
    );
    return teamSettingsSchema.parse(settings);
  });
}
