// "Download JSON" and "Run again" as the browser reaches them: the real route handler and server action on
// a real database. Only the session lookup (a cookie → a person) is stood in for, by the actor it yields.
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { runs, tasks } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { appendRunEvents } from "@/lib/events/append";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/session", () => ({
  currentActor: async () => session.actor,
  requireActor: async () => session.actor,
}));

const { GET } = await import("@/app/api/runs/[id]/export/route");
const { runAgainAction } = await import("@/app/(dashboard)/runs/actions");

const download = (runId: string) =>
  GET(new Request(`http://localhost/api/runs/${runId}/export`), { params: Promise.resolve({ id: runId }) });

async function finishedRun(actor: Actor) {
  const fixture = await insertRun(actor);
  const db = await getDb();
  await db.transaction((tx) =>
    appendRunEvents(tx, fixture.run, [
      { type: "user_message", payload: { text: "Fix the failing test", kind: "task" } },
      { type: "status_changed", payload: { status: "running" } },
      { type: "run_finished", payload: { status: "failed", stopReason: "error", error: "boom" } },
    ]),
  );
  await db.update(runs).set({ status: "failed" }).where(eq(runs.id, fixture.run.id));
  await db.update(tasks).set({ status: "failed" }).where(eq(tasks.id, fixture.task.id));
  return fixture;
}

beforeEach(() => {
  session.actor = null;
});

describe("download a run as JSON", () => {
  it("gives any member of the team every event of the run, in order, as an attachment", async () => {
    const admin = await teamAdmin();
    const { run, task } = await finishedRun(admin);
    session.actor = await teamMember("viewer");
    const response = await download(run.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="run-${task.number}-${run.id.slice(0, 8)}.json"`,
    );
    const body = await response.json();
    expect(body).toMatchObject({
      format: "foreman.run.v1",
      task: { id: task.id, number: task.number, title: task.title },
      run: { id: run.id, status: "failed", lastSeq: 3 },
    });
    expect(body.events.map((e: { seq: number; type: string }) => [e.seq, e.type])).toEqual([
      [1, "user_message"],
      [2, "status_changed"],
      [3, "run_finished"],
    ]);
    expect(body.events[2].payload).toEqual({ status: "failed", stopReason: "error", error: "boom" });
  });

  it("answers 404 for another team's run (and for a made-up id), 401 when signed out", async () => {
    const admin = await teamAdmin();
    const { run } = await finishedRun(admin);
    session.actor = await otherTeamMember("admin");
    const foreign = await download(run.id);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ error: { code: "not_found", message: "Run not found." } });
    expect((await download("00000000-0000-4000-8000-000000000000")).status).toBe(404);
    session.actor = null;
    expect((await download(run.id)).status).toBe(401);
  });
});

describe("run again from the run page", () => {
  it("is refused to a viewer, who may still download; a developer's click queues the run and goes to it", async () => {
    const admin = await teamAdmin();
    const { run, task } = await finishedRun(admin);
    session.actor = await teamMember("viewer");
    const form = new FormData();
    form.set("runId", run.id);
    const state = await runAgainAction({ ok: false }, form);
    expect(state).toMatchObject({ ok: false, error: expect.stringMatching(/can't do that/) });
    expect((await download(run.id)).status).toBe(200);
    const db = await getDb();
    expect(await db.select().from(runs).where(eq(runs.taskId, task.id))).toHaveLength(1);

    // A developer's click queues the new run and sends the browser to it.
    session.actor = await teamMember("developer");
    const redirect = await runAgainAction({ ok: false }, form).catch((error: unknown) => error);
    const [, again] = await db.select().from(runs).where(eq(runs.taskId, task.id)).orderBy(runs.queuedAt);
    expect(again).toMatchObject({ kind: "rerun", parentRunId: run.id, status: "queued" });
    expect(String((redirect as { digest?: string }).digest)).toContain(`/runs/${again?.id}`);
  });
});
