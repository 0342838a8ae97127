import { execFileSync } from "node:child_process";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, runs, tasks } from "@/db/schema";
import { syncClone } from "@/lib/git/clone";
import { updateTeamSettings } from "@/lib/teams/settings";
import { makeSourceRepo } from "@/lib/testing/engine-harness";
import { teamAdmin } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { handBackBaseConflict, handBackBaseConflicts, MAX_AUTOMATIC_HANDBACKS } from "./auto-resolve";
import { refreshOverlaps } from "./refresh";

/** One task in review whose branch edits line 1 of a.txt, and a base that then edits the same line. */
async function taskWhoseBaseMovedIntoConflict() {
  const admin = await teamAdmin();
  const source = makeSourceRepo({ "a.txt": "one\ntwo\nthree\n" });
  const fixture = await insertRun(admin, { source });
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      cwd: source,
      encoding: "utf8",
    });
  const write = (text: string) => execFileSync("sh", ["-c", `printf '${text}' > a.txt`], { cwd: source });
  git("checkout", "-q", "-b", fixture.run.branch, "main");
  write("ONE by the agent\\ntwo\\nthree\\n");
  git("commit", "-q", "-am", "agent");
  git("checkout", "-q", "main");
  const clone = await syncClone(fixture.repo);
  const branchRef = `refs/heads/${fixture.run.branch}`;
  execFileSync("git", [
    "--git-dir",
    clone,
    "update-ref",
    branchRef,
    `refs/remotes/origin/${fixture.run.branch}`,
  ]);
  const db = await getDb();
  await db.update(tasks).set({ status: "in_review" }).where(eq(tasks.id, fixture.task.id));
  await db
    .update(runs)
    .set({ status: "succeeded", outcome: "changes_ready" })
    .where(eq(runs.id, fixture.run.id));
  expect((await refreshOverlaps(fixture.repo.id)).newBaseConflicts).toEqual([]);
  // Someone merges a change to the same line into main.
  write("ONE on main\\ntwo\\nthree\\n");
  git("commit", "-q", "-am", "main moves");
  await syncClone(fixture.repo);
  return { admin, ...fixture };
}

describe("handing a predicted base conflict back automatically", () => {
  it("reports a newly conflicting task once, and hands it back only when the team asked for it", async () => {
    const { admin, repo, task } = await taskWhoseBaseMovedIntoConflict();
    const first = await refreshOverlaps(repo.id);
    expect(first.newBaseConflicts).toEqual([task.id]);
    // Still conflicting at the next refresh: not new, so never handed back twice for one move.
    expect((await refreshOverlaps(repo.id)).newBaseConflicts).toEqual([]);

    // Off by default: the task keeps its notice and waits for a person.
    expect(await handBackBaseConflict(task.id)).toBe("off");
    const db = await getDb();
    expect(await db.select().from(runs).where(eq(runs.taskId, task.id))).toHaveLength(1);

    await updateTeamSettings(admin, "conflicts", { autoResolveBaseConflicts: "on" });
    expect(await handBackBaseConflicts(first.newBaseConflicts)).toEqual(["handed_back"]);
    const taskRuns = await db.select().from(runs).where(eq(runs.taskId, task.id));
    const resolution = taskRuns.find((run) => run.kind === "resolve_conflict");
    expect(resolution?.prompt).toContain("a.txt");
    expect(resolution?.startedBy).toBe(admin.userId);
    const [after] = await db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(after?.status).toBe("queued");
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.objectId, task.id), eq(auditEvents.action, "task.conflict_resolution_requested")),
      );
    expect(audit?.source).toBe("system");
    expect(audit?.details).toMatchObject({ predicted: true });

    // While that run works, a second hand-back is refused and changes nothing.
    expect(await handBackBaseConflict(task.id)).toBe("refused");
    expect(await db.select().from(runs).where(eq(runs.taskId, task.id))).toHaveLength(2);
  });

  it("stops after a few automatic tries, so an agent that can't resolve it doesn't loop", async () => {
    const { admin, task } = await taskWhoseBaseMovedIntoConflict();
    await updateTeamSettings(admin, "conflicts", { autoResolveBaseConflicts: "on" });
    const db = await getDb();
    await db.insert(auditEvents).values(
      Array.from({ length: MAX_AUTOMATIC_HANDBACKS }, () => ({
        teamId: admin.teamId,
        source: "system" as const,
        action: "task.conflict_resolution_requested",
        objectType: "task",
        objectId: task.id,
      })),
    );
    expect(await handBackBaseConflict(task.id)).toBe("limit");
    expect(await db.select().from(runs).where(eq(runs.taskId, task.id))).toHaveLength(1);
  });
});
