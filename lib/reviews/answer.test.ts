// Tasks follow their runs' outcomes, on the real engine and the fake Messages API: an agent's question
// puts the task in Needs a human, answering it continues the same branch; an empty branch can't be
// approved or merged, and a follow-up that changes nothing is not sent back to review.
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditEvents, runs } from "@/db/schema";
import { executeRun } from "@/lib/engine/execute-run";
import { claimRun } from "@/lib/queue/claim";
import { type EngineSetup, engineSetup } from "@/lib/testing/engine-harness";
import { fakeText, fakeToolUse } from "@/lib/testing/fake-anthropic";
import { teamMember } from "@/lib/testing/fixtures";
import { answerAgent } from "./answer";
import { mergeTask } from "./merge";
import { approveTask, requestChanges } from "./service";

let h: EngineSetup | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

const fixAdd = () =>
  fakeToolUse("str_replace_based_edit_tool", {
    command: "str_replace",
    path: "src/add.js",
    old_str: "a - b",
    new_str: "a + b",
  });

async function runNext(setup: EngineSetup, expectedId: string) {
  const claimed = await claimRun("worker-next");
  expect(claimed?.id).toBe(expectedId);
  if (!claimed) throw new Error("no run claimed");
  await executeRun(claimed, { workerId: "worker-next", client: setup.client });
  const [row] = await setup.db.select().from(runs).where(eq(runs.id, expectedId));
  return row;
}

describe("tasks follow outcomes", () => {
  it("asks a human, and the answer continues the same branch until the changes are ready", async () => {
    h = await engineSetup();
    h.fake.enqueue(
      fakeToolUse("finish_task", {
        outcome: "needs_input",
        summary: "add subtracts, but maybe on purpose.",
        question: "Should add really add, or is subtracting intended?",
      }),
    );
    await h.execute();
    expect((await h.taskRow())?.status).toBe("needs_human");

    // Viewers can't answer; an empty answer is refused with the field named.
    await expect(
      answerAgent(await teamMember("viewer"), h.task.id, { answer: "Add." }),
    ).rejects.toMatchObject({
      status: 403,
    });
    const developer = await teamMember("developer");
    await expect(answerAgent(developer, h.task.id, { answer: "  " })).rejects.toMatchObject({ status: 400 });

    const { run: followUp, task } = await answerAgent(developer, h.task.id, { answer: "It should add." });
    expect(task.status).toBe("queued");
    expect(followUp).toMatchObject({ kind: "follow_up", branch: h.run.branch, parentRunId: h.run.id });
    // Answered once: a second answer finds nothing waiting.
    await expect(answerAgent(developer, h.task.id, { answer: "Again" })).rejects.toMatchObject({
      status: 409,
    });

    const before = h.fake.requests.length;
    h.fake.enqueue(fixAdd(), fakeToolUse("finish_task", { outcome: "done", summary: "add adds now." }));
    const finished = await runNext(h, followUp.id);
    const first = JSON.stringify(h.fake.requests[before]?.body.messages[0]);
    expect(first).toContain("Should add really add, or is subtracting intended?");
    expect(first).toContain("It should add.");
    expect(finished?.outcome).toBe("changes_ready");
    expect((await h.taskRow())?.status).toBe("in_review");
    const [audit] = await h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "task.answered"), eq(auditEvents.objectId, h.task.id)));
    expect(audit?.details).toMatchObject({ runId: followUp.id, answeredRunId: h.run.id });
  }, 60_000);

  it("refuses to approve or merge an empty branch with a clear 409", async () => {
    h = await engineSetup();
    h.fake.enqueue(fakeText("I looked around; nothing to do."));
    const run = await h.execute();
    expect(run.outcome).toBe("no_changes");
    expect((await h.taskRow())?.status).toBe("needs_human");
    const reviewer = await teamMember("developer");
    await expect(approveTask(reviewer, h.task.id)).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("has no changes against main: there is nothing to approve"),
    });
    await expect(mergeTask(reviewer, h.task.id)).rejects.toMatchObject({ status: 409 });
    expect((await h.taskRow())?.status).toBe("needs_human");
  });

  it("puts a follow-up that changed nothing in Needs a human; the earlier work can still be approved", async () => {
    h = await engineSetup();
    h.fake.enqueue(fixAdd(), fakeText("Fixed add."));
    await h.execute();
    const reviewer = await teamMember("developer");
    const { run: followUp } = await requestChanges(reviewer, h.task.id, { body: "Rename add to sum." });
    h.fake.enqueue(fakeText("Fixed the failing test."));
    const finished = await runNext(h, followUp.id);
    expect(finished).toMatchObject({ outcome: "no_changes" });
    expect(finished?.outcomeReason).toContain("Fixed the failing test.");
    expect((await h.taskRow())?.status).toBe("needs_human");
    // The branch still holds the first run's fix: it may be approved as it is.
    const approved = await approveTask(reviewer, h.task.id);
    expect(approved.status).toBe("approved");
  }, 60_000);
});
