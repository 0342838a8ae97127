import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { AUDIT_PAGE_SIZE, listAudit } from "./query";

describe("the audit log", () => {
  it("is for admins, newest first, filtered by person, action and date, a page at a time", async () => {
    const admin = await teamAdmin();
    const developer = await teamMember("developer");
    const stranger = await otherTeamMember();
    const db = await getDb();
    const at = (iso: string) => new Date(iso);
    await db.insert(auditEvents).values([
      ...Array.from({ length: AUDIT_PAGE_SIZE + 5 }, (_, i) => ({
        teamId: admin.teamId,
        actorId: developer.userId,
        source: "api" as const,
        action: "task.approved",
        objectType: "task",
        objectId: `t${i}`,
        createdAt: at(`2026-03-01T10:${String(i % 60).padStart(2, "0")}:00Z`),
      })),
      {
        teamId: admin.teamId,
        actorId: admin.userId,
        source: "browser" as const,
        action: "task.merged",
        objectType: "task",
        objectId: "merged-one",
        createdAt: at("2026-03-05T09:00:00Z"),
      },
      {
        teamId: stranger.teamId,
        actorId: stranger.userId,
        source: "browser" as const,
        action: "task.merged",
        objectType: "task",
        objectId: "not-ours",
        createdAt: at("2026-03-05T09:00:00Z"),
      },
    ]);

    await expect(listAudit(developer, {})).rejects.toMatchObject({ code: "forbidden" });

    const first = await listAudit(admin, { from: "2026-03-01", to: "2026-03-05" });
    expect(first.total).toBe(AUDIT_PAGE_SIZE + 6);
    expect(first.rows).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.rows[0]).toMatchObject({ action: "task.merged", actorName: "Ada Admin", source: "browser" });
    expect(first.pages).toBe(2);
    const times = first.rows.map((r) => r.createdAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const second = await listAudit(admin, { from: "2026-03-01", to: "2026-03-05", page: "2" });
    expect(second.rows).toHaveLength(6);
    expect(second.rows.map((r) => r.objectId)).not.toContain("not-ours");

    const byPerson = await listAudit(admin, { person: admin.userId, from: "2026-03-01", to: "2026-03-31" });
    expect(byPerson.rows.map((r) => r.objectId)).toEqual(["merged-one"]);
    const byAction = await listAudit(admin, { action: "task.merged", to: "2026-03-31" });
    expect(byAction.rows.map((r) => r.objectId)).toEqual(["merged-one"]);
    const oneDay = await listAudit(admin, { from: "2026-03-05", to: "2026-03-05" });
    expect(oneDay.rows.map((r) => r.objectId)).toEqual(["merged-one"]);
    expect(await listAudit(admin, { to: "2026-02-28" })).toMatchObject({ total: 0, rows: [] });

    // Filter choices come from this team only; malformed filters are ignored rather than failing.
    expect(byAction.actions).toContain("task.approved");
    expect(byAction.people.map((p) => p.id)).not.toContain(stranger.userId);
    expect((await listAudit(admin, { person: "nope", from: "yesterday", page: "-3" })).page).toBe(1);
  });

  it("names the ids of a page's entries (own team only), with links where they have a page", async () => {
    const admin = await teamAdmin();
    const developer = await teamMember("developer");
    const mine = await insertRun(admin, { agent: { name: "Careful" } });
    const theirs = await insertRun(await otherTeamMember());
    const db = await getDb();
    await db.insert(auditEvents).values({
      teamId: admin.teamId,
      actorId: admin.userId,
      source: "browser",
      action: "run.rerun",
      objectType: "run",
      objectId: mine.run.id,
      details: {
        taskId: mine.task.id,
        parentRunId: mine.run.id,
        userId: developer.userId,
        otherTaskId: theirs.task.id,
        branch: "foreman/1-x",
      },
    });
    const page = await listAudit(admin, { action: "run.rerun" });
    expect(page.refs[mine.run.id]).toEqual({
      label: `Careful's run on #${mine.task.number}`,
      href: `/runs/${mine.run.id}`,
    });
    expect(page.refs[mine.task.id]).toEqual({
      label: `#${mine.task.number} Fix the failing test`,
      href: `/tasks/${mine.task.id}`,
    });
    expect(page.refs[developer.userId]).toEqual({ label: developer.name, href: null });
    // Another team's row is never named, even when an id of it shows up.
    expect(page.refs[theirs.task.id]).toBeUndefined();
  });
});
