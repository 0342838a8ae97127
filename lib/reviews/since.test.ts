// "Since last review" after a run that merged the base branch into its branch (a conflict resolution):
// only the agent's own edits, not what changed on the base meanwhile. And a verification that timed out
// says so. Real git, real db.
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { runEvents, runs, tasks } from "@/db/schema";
import { git as gitIn } from "@/lib/git/runner";
import { git, makeTestRepos } from "@/lib/git/test-repos";
import { teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { commitStep, endRun } from "@/lib/testing/review-fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { getReview } from "./queries";
import { requestChanges } from "./service";

const repos = makeTestRepos();
afterAll(() => repos.cleanup());

async function setStatus(taskId: string, status: "in_review") {
  const db = await getDb();
  await db.update(tasks).set({ status }).where(eq(tasks.id, taskId));
}

describe("the review page's run details", { timeout: 120_000 }, () => {
  it("since the last review: the agent's edits after it merged the base, without the base's own changes", async () => {
    for (const [name, text] of [
      ["calc.txt", "add\nsubtract\n"],
      ["docs.txt", "docs v1\n"],
    ])
      fs.writeFileSync(path.join(repos.work, name as string), text as string);
    git(repos.work, "add", ".");
    git(repos.work, "commit", "-q", "-m", "calc and docs");
    const admin = await teamAdmin();
    const { task, run, repo } = await insertRun(admin, { source: repos.work });
    const source = { id: repo.id, source: repos.work };
    await commitStep(source, run, { files: { "calc.txt": "add\nsubtract\nmultiply\n" } });
    await endRun(run.id);
    await setStatus(task.id, "in_review");
    const reviewer = await teamMember("developer");
    const { run: followUp } = await requestChanges(reviewer, task.id, {
      comments: [{ path: "calc.txt", lineStart: 3, body: "Add divide too." }],
    });

    // Meanwhile the base branch changes another file; the next run merges it in and edits calc.txt.
    fs.writeFileSync(path.join(repos.work, "docs.txt"), "docs v2, written on main\n");
    git(repos.work, "commit", "-q", "-am", "docs on main");
    await commitStep(source, followUp, {
      step: 2,
      before: (dir) =>
        gitIn(
          ["-c", "user.name=a", "-c", "user.email=a@x", "merge", "--no-ff", "--no-commit", "origin/main"],
          {
            cwd: dir,
          },
        ).then(() => undefined),
      files: { "calc.txt": "add\nsubtract\nmultiply\ndivide\n" },
    });
    await endRun(followUp.id);
    await setStatus(task.id, "in_review");

    const since = await getReview(reviewer, task.id, { since: "last_review" });
    expect(since.since).toBe("last_review");
    expect(since.diff?.files.map((f) => [f.path, f.additions, f.deletions])).toEqual([["calc.txt", 1, 0]]);
    expect(since.diff?.patch).toContain("+divide");
    expect(since.diff?.patch).not.toContain("docs");
    // The whole diff against the base is the agent's work too: docs.txt came from the base.
    const all = await getReview(reviewer, task.id);
    expect(all.diff?.files.map((f) => f.path)).toEqual(["calc.txt"]);
  });

  it("a verification that timed out is reported as timed out, not as not run", async () => {
    const admin = await teamAdmin();
    const { task, run } = await insertRun(admin, { source: repos.work, testCommand: "sleep 999" });
    const db = await getDb();
    await db.insert(runEvents).values({
      runId: run.id,
      seq: 1,
      teamId: admin.teamId,
      type: "verification",
      payload: { command: "sleep 999", exitCode: null, output: "", durationMs: 600_000, timedOut: true },
    });
    await db
      .update(runs)
      .set({ status: "succeeded", lastSeq: 1, verifyExitCode: null, verifyOutput: "" })
      .where(eq(runs.id, run.id));
    expect((await getReview(admin, task.id)).verificationTimedOut).toBe(true);

    const other = await insertRun(admin, { source: repos.work, testCommand: "true" });
    expect((await getReview(admin, other.task.id)).verificationTimedOut).toBe(false);
  });
});
