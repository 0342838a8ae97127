// The whole review round on the real engine: the agent fixes a bug, a reviewer comments on two lines and
// requests changes, the follow-up run gets both comments in its first model request, continues the same
// branch, the task returns to review, another developer approves and merges into the real repository.
import { and, asc, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditEvents, reviewComments, reviews, runs } from "@/db/schema";
import { executeRun } from "@/lib/engine/execute-run";
import { claimRun } from "@/lib/queue/claim";
import { type EngineSetup, engineSetup } from "@/lib/testing/engine-harness";
import { fakeText, fakeToolUse } from "@/lib/testing/fake-anthropic";
import { teamMember } from "@/lib/testing/fixtures";
import { addComment, listComments } from "./comments";
import { mergeTask } from "./merge";
import { getReview, lineProvenance } from "./queries";
import { approveTask, requestChanges } from "./service";

let h: EngineSetup | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

describe("a review round", () => {
  it("sends both comments to the agent, continues the branch, then approves and merges", async () => {
    h = await engineSetup({
      files: {
        "package.json": '{"type":"module"}\n',
        "src/add.js": "// Adds two numbers.\nexport const add = (a, b) => a - b;\n",
        "test/add.test.js":
          'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { add } from "../src/add.js";\ntest("add", () => assert.equal(add(2, 3), 5));\n',
      },
    });
    h.fake.enqueue(
      fakeToolUse("str_replace_based_edit_tool", {
        command: "str_replace",
        path: "src/add.js",
        old_str: "a - b",
        new_str: "a + b",
      }),
      fakeText("Fixed add."),
    );
    await h.execute();
    expect((await h.taskRow())?.status).toBe("in_review");

    const reviewer = await teamMember("developer");
    const review = await getReview(reviewer, h.task.id);
    expect(review.diff?.files.map((f) => [f.path, f.additions, f.deletions])).toEqual([["src/add.js", 1, 1]]);
    // Provenance: line 2 was written in step 1 of the first run; line 1 predates the run.
    expect(await lineProvenance(reviewer, h.task.id, { path: "src/add.js", line: 2 })).toMatchObject({
      runId: h.run.id,
      step: 1,
    });
    expect(await lineProvenance(reviewer, h.task.id, { path: "src/add.js", line: 1 })).toMatchObject({
      runId: null,
    });

    await addComment(reviewer, h.task.id, {
      path: "src/add.js",
      lineStart: 2,
      body: "Name it `sum` instead.",
    });
    await addComment(reviewer, h.task.id, {
      path: "src/add.js",
      lineStart: 1,
      body: "Also test negative numbers.",
    });
    expect((await listComments(h.admin, h.task.id)).map((c) => c.status)).toEqual(["draft", "draft"]);
    const { run: followUp, task } = await requestChanges(reviewer, h.task.id);
    expect(task.status).toBe("changes_requested");
    expect(followUp).toMatchObject({ kind: "follow_up", branch: h.run.branch, parentRunId: h.run.id });

    // The follow-up run on the real engine: its first request to the model carries both comments.
    const before = h.fake.requests.length;
    // What the task showed each time the follow-up asked the model: it is running all along.
    const seen: (string | undefined)[] = [];
    const setup = h;
    const noting =
      <T>(step: T) =>
      async () => {
        seen.push((await setup.taskRow())?.status);
        return step;
      };
    h.fake.enqueue(
      noting(
        fakeToolUse("str_replace_based_edit_tool", {
          command: "str_replace",
          path: "test/add.test.js",
          old_str: "add(2, 3), 5));",
          new_str: 'add(2, 3), 5));\ntest("negative", () => assert.equal(add(-2, -3), -5));',
        }),
      ),
      noting(fakeText("Added the negative test.")),
    );
    const claimed = await claimRun("worker-follow-up");
    expect(claimed?.id).toBe(followUp.id);
    if (!claimed) throw new Error("no run claimed");
    await executeRun(claimed, { workerId: "worker-follow-up", client: h.client });
    const first = JSON.stringify(h.fake.requests[before]?.body.messages[0]);
    expect(first).toContain("Name it `sum` instead.");
    expect(first).toContain("Also test negative numbers.");
    expect(first).toContain("src/add.js");
    expect(first).toContain("export const add = (a, b) => a + b;"); // the code around the comment
    expect(seen).toEqual(["changes_requested", "changes_requested"]);
    expect((await h.taskRow())?.status).toBe("in_review");
    // The follow-up continued the same branch: the first fix is still there.
    expect(h.sourceGit("show", `${h.run.branch}:src/add.js`)).toContain("a + b");
    expect(h.sourceGit("show", `${h.run.branch}:test/add.test.js`)).toContain("negative");

    // Only what changed since the last review: the test file alone.
    const since = await getReview(reviewer, h.task.id, { since: "last_review" });
    expect(since.diff?.files.map((f) => f.path)).toEqual(["test/add.test.js"]);

    await approveTask(reviewer, h.task.id);
    const merged = await mergeTask(reviewer, h.task.id);
    expect(merged.status).toBe("merged");
    expect(h.sourceGit("show", "main:src/add.js")).toContain("a + b");
    expect(h.sourceGit("log", "-1", "--format=%s", "main")).toMatch(/^Merge task #\d+: Fix the failing test/);
    expect(h.sourceGit("branch", "--list", h.run.branch)).toBe("");

    const rows = await h.db.select().from(reviews).where(eq(reviews.taskId, h.task.id));
    expect(rows.map((r) => [r.decision, r.commentCount]).sort()).toEqual([
      ["approved", 0],
      ["changes_requested", 2],
    ]);
    const comments = await h.db.select().from(reviewComments).where(eq(reviewComments.taskId, h.task.id));
    expect(comments.every((c) => c.status === "submitted" && c.runId === h?.run.id)).toBe(true);
    const audit = await h.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, h.task.id), eq(auditEvents.actorId, reviewer.userId)))
      .orderBy(asc(auditEvents.id));
    expect(audit.map((a) => a.action)).toEqual([
      "review.comment_added",
      "review.comment_added",
      "task.changes_requested",
      "task.approved",
      "task.merged",
    ]);
    expect(await h.db.select().from(runs).where(eq(runs.taskId, h.task.id))).toHaveLength(2);
  }, 120_000); // two real engine runs, verification and a merge: slow on a busy machine
});
