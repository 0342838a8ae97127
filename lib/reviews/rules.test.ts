// Who may review, approve, merge and discard; what each action leaves in the audit log; conflicts.
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, runEvents, runs, tasks } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { pushBranch } from "@/lib/git/clone";
import { checkpointCommit, prepareRunRepo, removeRunRepo } from "@/lib/git/run-repo";
import { git, makeTestRepos } from "@/lib/git/test-repos";
import { updateTeamSettings } from "@/lib/teams/settings";
import { teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { addComment } from "./comments";
import { mergeTask } from "./merge";
import { approveTask, askAgentToResolve, discardTask, requestChanges } from "./service";

const repos = makeTestRepos();
afterAll(() => repos.cleanup());
const out = (cwd: string, ...args: string[]) => git(cwd, ...args).trim();

/** A task whose finished run left `files` on its branch, in review, assigned by `assigner`. */
async function reviewedTask(assigner: Actor, files: Record<string, string>, source = repos.work) {
  const fixture = await insertRun(assigner, { source });
  const repo = { id: fixture.repo.id, source };
  const wt = await prepareRunRepo({
    repo,
    runId: fixture.run.id,
    branch: fixture.run.branch,
    baseBranch: "main",
  });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(wt.workTree, name), text);
  const commit = await checkpointCommit(wt, { message: "Step 1", authorName: "A", authorEmail: "a@x" });
  await pushBranch(repo, fixture.run.branch);
  await removeRunRepo(fixture.run.id);
  const db = await getDb();
  await db.insert(runEvents).values({
    runId: fixture.run.id,
    seq: 1,
    teamId: assigner.teamId,
    type: "checkpoint",
    payload: { step: 1, ...commit },
  });
  await db.update(runs).set({ status: "succeeded", lastSeq: 1 }).where(eq(runs.id, fixture.run.id));
  await db.update(tasks).set({ status: "in_review" }).where(eq(tasks.id, fixture.task.id));
  return fixture;
}

async function auditOf(taskId: string) {
  const db = await getDb();
  const rows = await db.select().from(auditEvents).where(eq(auditEvents.objectId, taskId));
  return rows.map((r) => r.action).sort();
}

async function taskRow(taskId: string) {
  const db = await getDb();
  const [row] = await db.select().from(tasks).where(eq(tasks.id, taskId));
  return row;
}

/** Through the settings service, as Settings → General saves it. */
async function setIndependentApproval(admin: Actor, on: boolean) {
  await updateTeamSettings(admin, "approvals", { requireIndependentApproval: on });
}

// Real git and several services per test: generous on a loaded CI machine.
describe("review rules", { timeout: 120_000 }, () => {
  it("refuses viewers everything, and writes no audit row for a refusal", async () => {
    const admin = await teamAdmin();
    const viewer = await teamMember("viewer");
    const { task } = await reviewedTask(admin, { "viewer.txt": "v\n" });
    const comment = { path: "viewer.txt", lineStart: 1, body: "no" };
    await expect(addComment(viewer, task.id, comment)).rejects.toMatchObject({ code: "forbidden" });
    await expect(requestChanges(viewer, task.id, { comments: [comment] })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(approveTask(viewer, task.id)).rejects.toMatchObject({ code: "forbidden" });
    await approveTask(admin, task.id);
    await expect(mergeTask(viewer, task.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(discardTask(viewer, task.id)).rejects.toMatchObject({ code: "forbidden" });
    expect((await taskRow(task.id))?.status).toBe("approved");
    expect(await auditOf(task.id)).toEqual(["task.approved"]);
  });

  it("refuses a self-approval when the team asks for independent approval", async () => {
    const admin = await teamAdmin();
    const developer = await teamMember("developer");
    const { task } = await reviewedTask(developer, { "self.txt": "s\n" });
    await setIndependentApproval(admin, true);
    try {
      await expect(approveTask(developer, task.id)).rejects.toThrow(
        /someone other than the person who assigned/,
      );
      expect((await taskRow(task.id))?.status).toBe("in_review");
      expect(await auditOf(task.id)).toEqual([]);
      const approved = await approveTask(admin, task.id);
      expect(approved).toMatchObject({ status: "approved", approvedBy: admin.userId });
      expect(await auditOf(task.id)).toEqual(["task.approved"]);
    } finally {
      await setIndependentApproval(admin, false);
    }
    // With the setting off, assigning and approving one's own task is allowed.
    const own = await reviewedTask(developer, { "own.txt": "o\n" });
    expect((await approveTask(developer, own.task.id)).status).toBe("approved");
  });

  it("won't merge before approval; request changes needs a comment and makes one follow-up run", async () => {
    const admin = await teamAdmin();
    const { task, run } = await reviewedTask(admin, { "notes.txt": "one\ntwo\nthree\n" });
    await expect(mergeTask(admin, task.id)).rejects.toThrow(/can't be merged before it is approved/);
    await expect(requestChanges(admin, task.id)).rejects.toMatchObject({ field: "comments" });
    const { run: followUp } = await requestChanges(admin, task.id, {
      comments: [
        { path: "notes.txt", lineStart: 2, lineEnd: 3, body: "Merge these two lines." },
        { path: "notes.txt", lineStart: 1, body: "Capitalise." },
      ],
    });
    expect(followUp).toMatchObject({ status: "queued", kind: "follow_up", branch: run.branch });
    expect(followUp.prompt).toContain("## Comment 1: `notes.txt`, line 1");
    expect(followUp.prompt).toContain("## Comment 2: `notes.txt`, lines 2-3");
    expect(followUp.prompt).toContain("> 2 | two");
    expect(followUp.prompt).toContain("Merge these two lines.");
    expect(await auditOf(task.id)).toEqual(["task.changes_requested"]);
    // While the follow-up is queued, nothing else can be decided.
    await expect(requestChanges(admin, task.id, { body: "more" })).rejects.toMatchObject({
      code: "conflict",
    });
  });

  it("second of two tasks editing the same line: conflict, base untouched, files listed; the agent is asked to resolve", async () => {
    const admin = await teamAdmin();
    const reviewer = await teamMember("developer");
    const first = await reviewedTask(admin, { "README.md": "# one agent\n" });
    const second = await reviewedTask(admin, { "README.md": "# another agent\n" });
    await approveTask(reviewer, first.task.id);
    await approveTask(reviewer, second.task.id);
    const merged = await mergeTask(reviewer, first.task.id);
    expect(merged).toMatchObject({ status: "merged", task: { status: "merged" } });
    expect((await taskRow(first.task.id))?.mergeSha).toBe(out(repos.work, "rev-parse", "main"));

    const head = out(repos.work, "rev-parse", "main");
    const readme = fs.readFileSync(path.join(repos.work, "README.md"));
    const result = await mergeTask(reviewer, second.task.id);
    expect(result).toMatchObject({ status: "conflict", files: ["README.md"] });
    expect(out(repos.work, "rev-parse", "main")).toBe(head);
    expect(fs.readFileSync(path.join(repos.work, "README.md")).equals(readme)).toBe(true);
    expect(await taskRow(second.task.id)).toMatchObject({ status: "conflict", conflictFiles: ["README.md"] });
    // Remembered for the parallel-work metrics: this merge really conflicted.
    expect((await taskRow(second.task.id))?.mergeConflictedAt).toBeInstanceOf(Date);
    expect(await auditOf(second.task.id)).toEqual(["task.approved", "task.merge_conflict"]);

    const { run } = await askAgentToResolve(reviewer, second.task.id);
    expect(run).toMatchObject({ kind: "resolve_conflict", branch: second.run.branch, status: "queued" });
    expect(run.prompt).toContain("merge --no-ff --no-commit origin/main");
    expect(run.prompt).toContain("- README.md");
    expect(await taskRow(second.task.id)).toMatchObject({ status: "queued", approvedBy: null });
  });

  it("discards: closes the task, deletes its branch in the source, one audit row", async () => {
    const admin = await teamAdmin();
    const { task, run } = await reviewedTask(admin, { "discard.txt": "d\n" });
    expect(out(repos.work, "branch", "--list", run.branch)).not.toBe("");
    // Not while the agent is working on it: 409, and nothing changes.
    const db = await getDb();
    await db.update(runs).set({ status: "running" }).where(eq(runs.id, run.id));
    await expect(discardTask(admin, task.id)).rejects.toMatchObject({
      code: "conflict",
      status: 409,
      message: expect.stringMatching(/still working/),
    });
    expect((await taskRow(task.id))?.status).toBe("in_review");
    await db.update(runs).set({ status: "succeeded" }).where(eq(runs.id, run.id));
    const { task: discarded, keptBranches } = await discardTask(admin, task.id);
    expect(discarded.status).toBe("discarded");
    expect(keptBranches).toEqual([]);
    expect(out(repos.work, "branch", "--list", run.branch)).toBe("");
    expect(await auditOf(task.id)).toEqual(["task.discarded"]);
    await expect(discardTask(admin, task.id)).rejects.toMatchObject({ code: "conflict" });
    await expect(approveTask(admin, task.id)).rejects.toMatchObject({ code: "conflict" });
  });

  it("a merge refused by a dirty checkout says so, changes nothing and leaves one audit row", async () => {
    const admin = await teamAdmin();
    const { task } = await reviewedTask(admin, { "dirty.txt": "d\n" });
    await approveTask(admin, task.id);
    fs.writeFileSync(path.join(repos.work, "README.md"), "unsaved\n");
    const head = out(repos.work, "rev-parse", "main");
    try {
      await expect(mergeTask(admin, task.id)).rejects.toMatchObject({
        code: "dirty_worktree",
        status: 409,
        message: expect.stringMatching(/uncommitted changes/),
      });
    } finally {
      git(repos.work, "checkout", "--", "README.md");
    }
    expect(out(repos.work, "rev-parse", "main")).toBe(head);
    expect((await taskRow(task.id))?.status).toBe("approved");
    expect(await auditOf(task.id)).toEqual(["task.approved", "task.merge_refused"]);
    // Once the checkout is clean, the same merge goes through.
    expect((await mergeTask(admin, task.id)).status).toBe("merged");
    expect(fs.readFileSync(path.join(repos.work, "dirty.txt"), "utf8")).toBe("d\n");
  });
});
