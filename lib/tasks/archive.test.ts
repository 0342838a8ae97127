// Discarded work stays readable: discarding archives the branch in Foreman's clone before deleting it in the
// source, the review page reads the diff from the archive, and the sweep deletes it after the retention
// period — after which the page says when and why. Real git in temporary repositories.
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { runEvents, runs, tasks } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { clonePath, pushBranch } from "@/lib/git/clone";
import { checkpointCommit, prepareRunRepo, removeRunRepo } from "@/lib/git/run-repo";
import { git, makeTestRepos } from "@/lib/git/test-repos";
import { getReview } from "@/lib/reviews/queries";
import { discardTask } from "@/lib/reviews/service";
import { getTeamSettings, updateTeamSettings } from "@/lib/teams/settings";
import { teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { sweepExpiredArchives } from "./archive";

const repos = makeTestRepos();
afterAll(() => repos.cleanup());
const DAY = 86_400_000;

/** A task in review whose run left `files` on its branch (pushed to the source). */
async function reviewedTask(assigner: Actor, files: Record<string, string>) {
  const fixture = await insertRun(assigner, { source: repos.work });
  const repo = { id: fixture.repo.id, source: repos.work };
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

const archiveRefs = (repoId: string, taskId: string) =>
  git(
    clonePath(repoId),
    "for-each-ref",
    "--format=%(refname)",
    `refs/foreman/archive/task-${taskId}/`,
  ).trim();

async function taskRow(taskId: string) {
  const [row] = await (await getDb()).select().from(tasks).where(eq(tasks.id, taskId));
  return row;
}

describe("discarded work", { timeout: 120_000 }, () => {
  it("archives the branch on discard, reads its diff from the archive, and sweeps it after the retention period", async () => {
    const admin = await teamAdmin();
    const viewer = await teamMember("viewer");
    const { task, run, repo } = await reviewedTask(admin, { "kept.txt": "kept\n" });

    await discardTask(admin, task.id);
    // Gone from the source, kept in Foreman's clone.
    expect(git(repos.work, "branch", "--list", run.branch).trim()).toBe("");
    expect(archiveRefs(repo.id, task.id)).toBe(`refs/foreman/archive/task-${task.id}/${run.branch}`);

    // Anyone in the team reads the final diff, with the date it is kept until (the default 30 days).
    const review = await getReview(viewer, task.id);
    expect(review.diffError).toBeNull();
    expect(review.diff?.files.map((f) => [f.path, f.additions])).toEqual([["kept.txt", 1]]);
    const closedAt = (await taskRow(task.id))?.closedAt as Date;
    expect(review.archived?.keptUntil?.getTime()).toBe(closedAt.getTime() + 30 * DAY);

    // Before the period ends the sweep leaves it alone.
    expect(await sweepExpiredArchives(new Date(closedAt.getTime() + 29 * DAY))).toBe(0);
    expect(archiveRefs(repo.id, task.id)).not.toBe("");

    const expiredAt = new Date(closedAt.getTime() + 31 * DAY);
    expect(await sweepExpiredArchives(expiredAt)).toBe(1);
    expect(archiveRefs(repo.id, task.id)).toBe("");
    expect((await taskRow(task.id))?.diffExpiredAt?.getTime()).toBe(expiredAt.getTime());
    // Swept once: the next pass has nothing to do.
    expect(await sweepExpiredArchives(new Date(expiredAt.getTime() + DAY))).toBe(0);

    const after = await getReview(viewer, task.id);
    expect(after.diff).toBeNull();
    expect(after.diffGone).toBe("The diff has expired");
    const day = expiredAt.toLocaleDateString("en-US", {
      year: "numeric",
      month: "short",
      day: "numeric",
      timeZone: "UTC",
    });
    expect(after.diffError).toContain(`The diff expired on ${day}`);
    expect(after.diffError).toContain("kept for 30 days (Settings → General)");
  });

  it("keeps discarded work forever at 0 days, and refuses a negative period", async () => {
    const admin = await teamAdmin();
    const { task, repo } = await reviewedTask(admin, { "forever.txt": "f\n" });
    await updateTeamSettings(admin, "discarded", { retentionDays: 0 });
    expect((await getTeamSettings(admin)).discarded.retentionDays).toBe(0);
    await discardTask(admin, task.id);
    expect(await sweepExpiredArchives(new Date(Date.now() + 10_000 * DAY))).toBe(0);
    expect(archiveRefs(repo.id, task.id)).not.toBe("");
    const review = await getReview(admin, task.id);
    expect(review.diff?.files.map((f) => f.path)).toEqual(["forever.txt"]);
    expect(review.archived).toEqual({ keptUntil: null, closedBy: null });

    await expect(updateTeamSettings(admin, "discarded", { retentionDays: -1 })).rejects.toMatchObject({
      code: "bad_request",
    });
    const viewer = await teamMember("viewer");
    await expect(updateTeamSettings(viewer, "discarded", { retentionDays: 5 })).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("says plainly when no copy was kept: a task discarded before its run made a commit", async () => {
    const admin = await teamAdmin();
    const { task } = await insertRun(admin, { source: repos.work });
    await discardTask(admin, task.id);
    const review = await getReview(admin, task.id);
    expect(review.diff).toBeNull();
    expect(review.diffGone).toBe("The diff wasn't kept");
    expect(review.diffError).toMatch(
      /No copy of the branch .* was kept: it had no commits when the task was discarded/,
    );
  });
});
