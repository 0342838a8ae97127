import { execFileSync } from "node:child_process";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { runs } from "@/db/schema";
import { cancelRun, decideApproval, sendRunMessage } from "@/lib/runs/service";
import { type EngineSetup, engineSetup } from "@/lib/testing/engine-harness";
import {
  fakeCut,
  fakeMessage,
  fakeOverloaded,
  fakeRateLimited,
  fakeText,
  fakeToolUse,
} from "@/lib/testing/fake-anthropic";

let current: EngineSetup | undefined;
async function setup(options?: Parameters<typeof engineSetup>[0]) {
  current = await engineSetup(options);
  return current;
}
afterEach(async () => {
  await current?.fake.close();
  current = undefined;
});

async function waitForEvent(h: EngineSetup, type: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await h.events()).find((e) => e.type === type);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${type} event within ${timeoutMs} ms`);
}

describe("the agent loop under failure", () => {
  it("retries 429 and 529 (honouring retry-after) and records each retry", async () => {
    const h = await setup({ testCommand: "" });
    h.fake.enqueue(fakeRateLimited(0), fakeOverloaded(0), fakeText("Hello after the storm."));
    const run = await h.execute();
    expect(run.status).toBe("succeeded");
    const retries = (await h.events()).filter((e) => e.type === "retry").map((e) => e.payload);
    expect(retries).toMatchObject([
      { attempt: 1, status: 429, reason: "429 rate_limit_error", delayMs: 0 },
      { attempt: 2, status: 529, reason: "529 overloaded_error", delayMs: 0 },
    ]);
    expect(h.fake.requests).toHaveLength(3);
  });

  it("retries a stream cut mid-message and keeps only the complete reply", async () => {
    process.env.FOREMAN_RETRY_BASE_MS = "10";
    const h = await setup({ testCommand: "" });
    h.fake.enqueue(
      fakeCut([{ type: "text", text: "This sentence will be cut somewhere in the middle" }], 4),
      fakeText("Complete."),
    );
    const run = await h.execute();
    expect(run).toMatchObject({ status: "succeeded", steps: 1 });
    const events = await h.events();
    expect(events.filter((e) => e.type === "retry")[0]?.payload).toMatchObject({ attempt: 1 });
    expect(
      (events.find((e) => e.type === "retry")?.payload as { reason?: string } | undefined)?.reason,
    ).toMatch(/interrupted|connection/);
    const replies = events.filter((e) => e.type === "assistant_message");
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]?.payload)).toContain("Complete.");
  });

  it("continues after max_tokens, and fails with a clear reason when it keeps happening", async () => {
    const h = await setup({ testCommand: "" });
    const cut = () =>
      fakeMessage([{ type: "text", text: "A very long answer" }], { stop_reason: "max_tokens" });
    h.fake.enqueue(cut(), cut(), cut());
    const run = await h.execute();
    expect(run).toMatchObject({ status: "failed", stopReason: "max_tokens" });
    expect(run.error).toMatch(/output limit 3 times/);
    expect(h.fake.requests[1]?.body.messages.at(-1).content.at(-1).text).toMatch(/cut off/);
  });

  it("stops on a refusal with the reason shown", async () => {
    const h = await setup({ testCommand: "" });
    h.fake.enqueue(
      fakeMessage([{ type: "text", text: "I can't help with that." }], { stop_reason: "refusal" }),
    );
    const run = await h.execute();
    expect(run).toMatchObject({ status: "failed", stopReason: "refusal" });
    expect((await h.taskRow())?.status).toBe("failed");
  });

  it("stops at the step budget with reason budget", async () => {
    const h = await setup({ testCommand: "", agent: { maxSteps: 2 } });
    h.fake.enqueue(...Array.from({ length: 5 }, () => fakeToolUse("bash", { command: "true" })));
    const run = await h.execute();
    expect(run).toMatchObject({ status: "failed", stopReason: "budget", steps: 2 });
    expect(run.error).toContain("step budget (2 steps)");
  });

  it("cancels during `sleep 30` within seconds and leaves no process behind", async () => {
    const h = await setup({ testCommand: "" });
    const marker = `foreman-cancel-${Date.now()}`;
    h.fake.enqueue(fakeToolUse("bash", { command: `sleep 30 # ${marker}` }));
    const running = h.execute();
    await waitForEvent(h, "tool_call");
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await cancelRun(h.admin, h.run.id);
    const run = await running;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(run).toMatchObject({ status: "cancelled", stopReason: "cancelled" });
    const leftovers = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
      .split("\n")
      .filter((line) => line.includes(marker));
    expect(leftovers).toEqual([]);
  });

  it("ends a run cancelled before its worker read it without calling the model", async () => {
    const h = await setup({ testCommand: "" });
    h.fake.enqueue(fakeText("Should never be asked."));
    // Stored without a notice, before the worker reads the run: the read itself must see it.
    await h.db.update(runs).set({ cancelRequestedAt: new Date() }).where(eq(runs.id, h.run.id));
    const run = await h.execute();
    expect(run).toMatchObject({ status: "cancelled", stopReason: "cancelled" });
    expect(h.fake.requests).toHaveLength(0);
  });

  it("pauses a risky command until a person approves it, and tells the model when one is denied", async () => {
    const h = await setup({
      testCommand: "",
      agent: { riskyPatterns: ["\\bgit\\s+push\\b", "rm -rf"] },
    });
    h.fake.enqueue(
      fakeToolUse("bash", { command: "echo approved-ran # git push" }, { toolUseId: "toolu_push" }),
      fakeToolUse("bash", { command: "rm -rf build" }, { toolUseId: "toolu_rm" }),
      fakeText("Done."),
    );
    const running = h.execute();
    await waitForEvent(h, "approval_requested");
    expect((await h.runRow()).status).toBe("waiting_approval");
    expect((await h.taskRow())?.status).toBe("needs_human");
    await decideApproval(h.admin, h.run.id, { toolUseId: "toolu_push", approved: true });
    await expect(
      decideApproval(h.admin, h.run.id, { toolUseId: "toolu_push", approved: false }),
    ).rejects.toThrow(/already approved/);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const requests = (await h.events()).filter((e) => e.type === "approval_requested");
      if (requests.length === 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await decideApproval(h.admin, h.run.id, { toolUseId: "toolu_rm", approved: false });
    const run = await running;
    expect(run.status).toBe("succeeded");
    const results = h.fake.requests.map((r) => r.body.messages.at(-1).content[0]);
    expect(results[1].content).toContain("approved-ran");
    expect(results[2]).toMatchObject({ is_error: true });
    expect(results[2].content).toMatch(/denied this command/);
  });

  it("delivers a person's message to the model at the next turn", async () => {
    const h = await setup({ testCommand: "" });
    h.fake.enqueue(async () => {
      await sendRunMessage(h.admin, h.run.id, { text: "Please also update the README." });
      return fakeToolUse("bash", { command: "true" });
    }, fakeText("Will do."));
    await h.execute();
    const lastTurn = h.fake.requests[1]?.body.messages.at(-1);
    expect(lastTurn.content.map((b: { type: string }) => b.type)).toEqual(["tool_result", "text"]);
    expect(lastTurn.content[1].text).toBe("Please also update the README.");
  });

  it("stops at the cost budget", async () => {
    const h = await setup({ testCommand: "", agent: { maxCostUsd: 0.01 } });
    const expensive = { usage: { input_tokens: 5000, output_tokens: 1000 } }; // $0.01 a step on Haiku prices
    h.fake.enqueue(
      fakeToolUse("bash", { command: "true" }, expensive),
      fakeToolUse("bash", { command: "true" }, expensive),
    );
    const run = await h.execute();
    expect(run).toMatchObject({ status: "failed", stopReason: "budget", steps: 1 });
    expect(run.error).toContain("cost budget ($0.01)");
  });

  it("sends a task whose verification fails to review anyway, clearly flagged", async () => {
    const h = await setup({ testCommand: "node --test" });
    h.fake.enqueue(
      fakeToolUse("str_replace_based_edit_tool", {
        command: "str_replace",
        path: "src/add.js",
        old_str: "a - b",
        new_str: "a * b",
      }),
      fakeText("Fixed add."),
    );
    const run = await h.execute();
    expect(run.status).toBe("succeeded");
    expect(run.verifyExitCode).not.toBe(0);
    expect(run.verifyOutput).toMatch(/fail/i);
    expect(run.outcome).toBe("verification_failed");
    expect(run.outcomeReason).toMatch(/test command failed/);
    expect((await h.taskRow())?.status).toBe("in_review");
  });
});
