// Every finished run gets an honest outcome, through the real engine against the fake Messages API: from
// the agent's own finish_task report when it makes one, otherwise from the facts (changes, verification).
import { afterEach, describe, expect, it } from "vitest";
import { type EngineSetup, engineSetup } from "@/lib/testing/engine-harness";
import { fakeMessage, fakeText, fakeToolUse } from "@/lib/testing/fake-anthropic";

let current: EngineSetup | undefined;
async function setup(options?: Parameters<typeof engineSetup>[0]) {
  current = await engineSetup(options);
  return current;
}
afterEach(async () => {
  await current?.fake.close();
  current = undefined;
});

const fixAdd = () =>
  fakeToolUse("str_replace_based_edit_tool", {
    command: "str_replace",
    path: "src/add.js",
    old_str: "a - b",
    new_str: "a + b",
  });

describe("a run's outcome", () => {
  it("is no changes when the run changed nothing: not verified, the task needs a human with the reason", async () => {
    const h = await setup({ testCommand: "node --test" });
    h.fake.enqueue(fakeText("I can't really work on this task."));
    const run = await h.execute();
    expect(run).toMatchObject({ status: "succeeded", outcome: "no_changes", verifyExitCode: null });
    expect(run.outcomeReason).toContain("I can't really work on this task.");
    expect((await h.events()).map((e) => e.type)).not.toContain("verification");
    expect((await h.taskRow())?.status).toBe("needs_human");
  });

  it("ends the run when the agent calls finish_task with done, after its other calls, and is changes ready", async () => {
    const h = await setup({ testCommand: "node --test" });
    h.fake.enqueue(
      fixAdd(),
      fakeMessage([
        { type: "tool_use", id: "toolu_t", name: "bash", input: { command: "node --test" } },
        {
          type: "tool_use",
          id: "toolu_f",
          name: "finish_task",
          input: { outcome: "done", summary: "Fixed add; the tests pass." },
        },
      ]),
      // Never asked for: the run ends at finish_task.
      fakeText("This reply must not be requested."),
    );
    const run = await h.execute();
    expect(h.fake.requests).toHaveLength(2);
    expect(run).toMatchObject({
      status: "succeeded",
      stopReason: "finish_task",
      outcome: "changes_ready",
      verifyExitCode: 0,
    });
    const finished = (await h.events()).find((e) => e.type === "run_finished");
    expect(finished?.payload).toMatchObject({
      summary: "Fixed add; the tests pass.",
      outcome: "changes_ready",
    });
    expect((await h.taskRow())?.status).toBe("in_review");
  });

  it("is no changes when the agent says done but changed nothing", async () => {
    const h = await setup({ testCommand: "node --test" });
    h.fake.enqueue(fakeToolUse("finish_task", { outcome: "done", summary: "Fixed the failing test." }));
    const run = await h.execute();
    expect(run.outcome).toBe("no_changes");
    expect(run.outcomeReason).toContain("Fixed the failing test.");
    expect((await h.taskRow())?.status).toBe("needs_human");
  });

  it("is blocked when the agent says so, and the task needs a human with its reason", async () => {
    const h = await setup();
    h.fake.enqueue(
      fakeToolUse("finish_task", { outcome: "blocked", summary: "The task needs a database I can't reach." }),
    );
    const run = await h.execute();
    expect(run).toMatchObject({
      outcome: "blocked",
      outcomeReason: "The task needs a database I can't reach.",
    });
    expect((await h.taskRow())?.status).toBe("needs_human");
  });

  it("is needs input with the agent's question, even with changes made", async () => {
    const h = await setup();
    h.fake.enqueue(
      fixAdd(),
      fakeToolUse("finish_task", {
        outcome: "needs_input",
        summary: "Fixed add.",
        question: "Should add also accept strings?",
      }),
    );
    const run = await h.execute();
    expect(run).toMatchObject({ outcome: "needs_input", outcomeReason: "Should add also accept strings?" });
    expect((await h.taskRow())?.status).toBe("needs_human");
  });

  it("answers a malformed finish_task with an error the model sees, and goes on", async () => {
    const h = await setup({ testCommand: "" });
    h.fake.enqueue(
      fakeToolUse("finish_task", { outcome: "needs_input", summary: "Hm." }),
      fixAdd(),
      fakeText("Fixed add."),
    );
    const run = await h.execute();
    const result = h.fake.requests[1]?.body.messages.at(-1).content[0];
    expect(result.is_error).toBe(true);
    expect(result.content).toContain("needs_input needs a question");
    // No test command: changes are ready without verification.
    expect(run).toMatchObject({ outcome: "changes_ready", stopReason: "end_turn", verifyExitCode: null });
  });

  it("is failed for an error or a budget, with the reason", async () => {
    const h = await setup({ testCommand: "", agent: { maxSteps: 1 } });
    h.fake.enqueue(fixAdd(), fakeText("never reached"));
    const run = await h.execute();
    expect(run).toMatchObject({ status: "failed", stopReason: "budget", outcome: "failed" });
    expect(run.outcomeReason).toContain("step budget");
    expect((await h.taskRow())?.status).toBe("failed");
  });
});
