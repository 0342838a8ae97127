// The end-to-end suite's way to put the hand-computed fixture (./fixture.ts) into the app's database.
//
// Why a hook inside the app: on the embedded database (PGlite) only the server's process may open the data
// folder (db/pglite-lock.ts), so a test cannot insert rows next to it, and the fixture's history (runs
// finished on given days, reviews at given minutes) cannot be made through the product's own forms or API.
// So the server loads it itself, through this function, which does nothing unless FOREMAN_E2E_HOOKS=1 —
// set only by e2e/support/server.mjs for the server it starts — and only for a signed-in admin.
import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { memberships, tasks, teams, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { notFound } from "@/lib/errors";
import { insertMetricsFixture } from "./fixture";
import { SPEND_CAP_KEY } from "./spend-cap";

export const E2E_BOB = {
  name: "Bob Builder",
  email: "bob-metrics@example.com",
  password: "correct horse battery",
};

export const e2eHooksEnabled = () => process.env.FOREMAN_E2E_HOOKS === "1";

export type E2eMetricsAction = "load" | "spend-today" | "clear-cap";

export async function runE2eMetricsHook(actor: Actor, action: E2eMetricsAction) {
  if (!e2eHooksEnabled()) throw notFound("Page");
  authorize(actor, "settings:manage");
  const db = await getDb();
  if (action === "load") {
    // Bob, a developer who can sign in: the fixture's second person, and a second pair of eyes in the tests.
    const [bob] = await db
      .insert(users)
      .values({
        email: E2E_BOB.email,
        name: E2E_BOB.name,
        passwordHash: await hashPassword(E2E_BOB.password),
      })
      .returning();
    if (!bob) throw new Error("no user");
    await db.insert(memberships).values({ teamId: actor.teamId, userId: bob.id, role: "developer" });
    await insertMetricsFixture(db, { teamId: actor.teamId, ada: actor.userId, bob: bob.id });
    return { ok: true };
  }
  if (action === "spend-today") {
    // This month's spend, whatever day the suite runs: a $1 run today (1M input tokens on Haiku).
    await db.execute(sql`
      insert into runs (team_id, task_id, agent_id, model, status, branch, input_tokens, cost_usd, queued_at, started_at, finished_at)
      select t.team_id, t.id, t.agent_id, 'claude-haiku-4-5', 'succeeded', 'foreman/cap', 1000000, 1, now(), now(), now()
      from ${tasks} t where t.team_id = ${actor.teamId} and t.title = 'Waiting for review'`);
    return { ok: true };
  }
  await db
    .update(teams)
    .set({ settings: sql`${teams.settings} - ${SPEND_CAP_KEY}` })
    .where(eq(teams.id, actor.teamId));
  return { ok: true };
}
