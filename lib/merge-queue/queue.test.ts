// The merge queue on real git and the real database: concurrent approvals on one base land one after the
// other with nothing lost; the merged tree is verified against the branch's own verification.
import { and, asc, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, mergeQueue, runs, tasks } from "@/db/schema";
import { git, makeTestRepos, type TestRepos } from "@/lib/git/test-repos";
import { mergeQueueMetrics } from "@/lib/metrics/merge-queue";
import { mergeTask } from "@/lib/reviews/merge";
import { teamAdmin } from "@/lib/testing/fixtures";
import { approvedTask, approvedTaskOn } from "@/lib/testing/merge-queue-fixtures";
import { mergeQueueIdle } from "./drain";

const made: TestRepos[] = [];
function repos() {
  const r = makeTestRepos();
  made.push(r);
  return r;
}
afterAll(() => {
  for (const r of made) r.cleanup();
});

const taskRow = async (id: string) => {
  const db = await getDb();
  const [row] = await db.select().from(tasks).where(eq(tasks.id, id));
  return row;
};
const entriesOf = async (repoId: string) => {
  const db = await getDb();
  return db.select().from(mergeQueue).where(eq(mergeQueue.repoId, repoId)).orderBy(asc(mergeQueue.startedAt));
};

describe("merge queue", { timeout: 180_000 }, () => {
  it("lands two concurrent approvals on one base one after the other, both in the base", async () => {
    const r = repos();
    const admin = await teamAdmin();
    // A test command that takes a moment, run on each merged tree (the branches' own tests passed): the
    // second merge arrives while the first is still landing.
    const first = await approvedTask(admin, r.bareUrl, {
      files: { "a.txt": "from a\n" },
      testCommand: "sleep 2",
      verifyExitCode: 0,
    });
    const second = await approvedTaskOn(admin, first.line, {
      files: { "b.txt": "from b\n" },
      verifyExitCode: 0,
    });

    const results = await Promise.all([mergeTask(admin, first.task.id), mergeTask(admin, second.task.id)]);
    expect(results.map((r) => r.status).sort()).toEqual(["merged", "queued"]);
    const queued = results.find((r) => r.status === "queued");
    expect(queued).toMatchObject({ position: 2 });
    await mergeQueueIdle();

    expect((await taskRow(first.task.id))?.status).toBe("merged");
    expect((await taskRow(second.task.id))?.status).toBe("merged");
    // Nothing lost: the base holds both changes, merged one on top of the other.
    expect(git(r.bare, "show", "main:a.txt")).toBe("from a\n");
    expect(git(r.bare, "show", "main:b.txt")).toBe("from b\n");
    const entries = await entriesOf(first.line.repo.id);
    expect(entries.map((e) => e.status)).toEqual(["merged", "merged"]);
    const [one, two] = entries;
    // One at a time: the second started landing only after the first had finished.
    expect(two?.startedAt?.getTime()).toBeGreaterThanOrEqual(one?.finishedAt?.getTime() ?? Infinity);
    expect(git(r.bare, "rev-parse", "main").trim()).toBe(two?.mergeSha);
    expect(git(r.bare, "rev-parse", "main^1").trim()).toBe(one?.mergeSha);
    // The metrics: nothing waits now; two merges landed, the second after waiting for the first.
    const metrics = await mergeQueueMetrics(
      admin.teamId,
      new Date(Date.now() - 3_600_000),
      new Date(Date.now() + 60_000),
    );
    expect(metrics).toMatchObject({ length: 0, landed: 2 });
    expect(metrics.p90WaitMs).toBeGreaterThan(1000);
  });

  it("refuses a merge whose merged tree fails the tests that passed on the branch, and asks the agent to fix it", async () => {
    const r = repos();
    const admin = await teamAdmin();
    // The test forbids legacy.txt; it passed on the branch, but the base gains legacy.txt meanwhile.
    const branch = await approvedTask(admin, r.bareUrl, {
      files: {
        "feature.txt": "new\n",
        "test.sh": "test ! -e legacy.txt || { echo 'legacy.txt is back'; exit 3; }\n",
      },
      testCommand: "sh test.sh",
      verifyExitCode: 0,
    });
    const moves = await approvedTaskOn(admin, branch.line, { files: { "legacy.txt": "old\n" } });
    expect((await mergeTask(admin, moves.task.id)).status).toBe("merged");

    const result = await mergeTask(admin, branch.task.id, { fixOnFailure: true });
    expect(result).toMatchObject({ status: "verification_failed", exitCode: 3 });
    expect(git(r.bare, "ls-tree", "--name-only", "main")).not.toContain("feature.txt");
    const db = await getDb();
    const [entry] = await db.select().from(mergeQueue).where(eq(mergeQueue.taskId, branch.task.id));
    expect(entry).toMatchObject({ status: "refused", exitCode: 3 });
    expect(entry?.output).toContain("legacy.txt is back");
    // Back to the agent: a resolve run on the same branch whose prompt carries the failing output.
    const [fix] = await db
      .select()
      .from(runs)
      .where(and(eq(runs.taskId, branch.task.id), eq(runs.kind, "resolve_conflict")));
    expect(fix).toMatchObject({ branch: branch.run.branch, parentRunId: branch.run.id, status: "queued" });
    expect(fix?.prompt).toContain("legacy.txt is back");
    expect((await taskRow(branch.task.id))?.status).toBe("queued");
    const audit = await db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.objectId, branch.task.id));
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["task.merge_verification_failed", "task.merge_fix_requested"]),
    );
  });

  it("lands a merge whose merged tree fails when the branch itself had already failed", async () => {
    const r = repos();
    const admin = await teamAdmin();
    const branch = await approvedTask(admin, r.bareUrl, {
      files: { "feature.txt": "new\n", "test.sh": "test ! -e legacy.txt\n" },
      testCommand: "sh test.sh",
      verifyExitCode: 1,
    });
    const moves = await approvedTaskOn(admin, branch.line, { files: { "legacy.txt": "old\n" } });
    expect((await mergeTask(admin, moves.task.id)).status).toBe("merged");

    expect((await mergeTask(admin, branch.task.id)).status).toBe("merged");
    expect(git(r.bare, "show", "main:feature.txt")).toBe("new\n");
    expect((await taskRow(branch.task.id))?.status).toBe("merged");
  });
});
