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

const types = (events: { type: string }[]) => events.map((e) => e.type);

describe("the agent loop", () => {
  it("edits, tests, checkpoints, verifies and hands the task to review", async () => {
    const h = await setup();
    h.fake.enqueue(
      fakeToolUse(
        "str_replace_based_edit_tool",
        { command: "view", path: "src/add.js" },
        { text: "Looking." },
      ),
      fakeToolUse(
        "str_replace_based_edit_tool",
        {
          command: "str_replace",
          path: "src/add.js",
          old_str: "a - b",
          new_str: "a + b",
        },
        {
          usage: {
            input_tokens: 1000,
            output_tokens: 200,
            cache_read_input_tokens: 5000,
            cache_creation_input_tokens: 100,
          },
        },
      ),
      fakeToolUse("bash", { command: "node --test" }),
      fakeText("Fixed add: it subtracted. Tests pass."),
    );
    const run = await h.execute();
    expect(run).toMatchObject({
      status: "succeeded",
      stopReason: "end_turn",
      steps: 4,
      verifyExitCode: 0,
      outcome: "changes_ready",
      outcomeReason: null,
    });
    expect((await h.taskRow())?.status).toBe("in_review");
    const events = await h.events();
    expect(types(events)).toEqual([
      "run_started",
      "sandbox",
      "user_message",
      "assistant_message",
      "tool_call",
      "tool_result",
      "assistant_message",
      "tool_call",
      "tool_result",
      "checkpoint",
      "assistant_message",
      "tool_call",
      "tool_result",
      "assistant_message",
      "status_changed",
      "verification",
      "run_finished",
    ]);
    // Every command ran in the OS sandbox, with the repository's default network policy.
    expect(run.sandbox).toEqual({ mode: "bwrap", network: "none", allowedHosts: [] });
    // Tokens and cost from the catalogue (claude-haiku-4-5: $1 / $5 / $1.25 / $0.10 per million).
    const second = events.find(
      (e) => e.type === "assistant_message" && (e.payload as { step: number }).step === 2,
    );
    expect((second?.payload as { costUsd?: number } | undefined)?.costUsd).toBeCloseTo(
      (1000 * 1 + 200 * 5 + 100 * 1.25 + 5000 * 0.1) / 1_000_000,
      10,
    );
    expect(run.cacheReadTokens).toBe(5000);
    expect(run.unpriced).toBe(false);
    // The fix is on the run's branch in the source repository, committed by the agent; main is untouched.
    expect(h.sourceGit("show", `${run.branch}:src/add.js`)).toBe("export const add = (a, b) => a + b;");
    expect(h.sourceGit("log", "-1", "--format=%an", run.branch)).toBe(h.agent.name);
    expect(h.sourceGit("show", "main:src/add.js")).toContain("a - b");
    // What the model was sent: the tools, cache breakpoints, the repository context.
    const first = h.fake.requests[0]?.body;
    expect(first.tools.map((t: { type?: string; name: string }) => t.type ?? t.name)).toEqual([
      "bash_20250124",
      "text_editor_20250728",
      "finish_task",
    ]);
    expect(first.system[0].text).toContain("call the finish_task tool");
    expect(first.system[0].cache_control).toEqual({ type: "ephemeral" });
    expect(first.system[0].text).toContain("Test command: `node --test`");
    expect(h.fake.requests[1]?.body.messages.at(-1).content.at(-1).cache_control).toEqual({
      type: "ephemeral",
    });
  });

  it("answers every tool_use block of a parallel call, in order, in one user turn", async () => {
    const h = await setup();
    h.fake.enqueue(
      fakeMessage([
        { type: "tool_use", id: "toolu_a", name: "bash", input: { command: "echo first" } },
        {
          type: "tool_use",
          id: "toolu_b",
          name: "str_replace_based_edit_tool",
          input: { command: "view", path: "package.json" },
        },
      ]),
      fakeText("Done."),
    );
    await h.execute();
    const turn = h.fake.requests[1]?.body.messages.at(-1);
    expect(turn.role).toBe("user");
    expect(turn.content.map((b: { tool_use_id: string }) => b.tool_use_id)).toEqual(["toolu_a", "toolu_b"]);
    expect(turn.content[0].content).toContain("first");
    expect(turn.content[1].content).toContain('"type":"module"');
  });

  it("refuses editor paths outside the worktree, as a tool error the model sees", async () => {
    const h = await setup();
    h.fake.enqueue(
      fakeToolUse("str_replace_based_edit_tool", { command: "view", path: "/etc/passwd" }),
      fakeText("Understood."),
    );
    const run = await h.execute();
    expect(run.status).toBe("succeeded");
    const result = h.fake.requests[1]?.body.messages.at(-1).content[0];
    expect(result.is_error).toBe(true);
    expect(result.content).not.toContain("root:");
  });

  it("keeps the server's secrets out of the agent's shell", async () => {
    process.env.AUTH_SECRET = "auth-secret-value-123";
    const configuredKey = process.env.ANTHROPIC_API_KEY;
    process.env.ANTHROPIC_API_KEY = "sk-ant-secret-456";
    const h = await setup();
    h.fake.enqueue(fakeToolUse("bash", { command: "env" }), fakeText("ok"));
    await h.execute();
    process.env.ANTHROPIC_API_KEY = configuredKey;
    const output = h.fake.requests[1]?.body.messages.at(-1).content[0].content as string;
    expect(output).toContain("PATH=");
    for (const secret of [
      "auth-secret-value-123",
      "sk-ant-secret-456",
      "DATABASE_URL",
      "AUTH_SECRET",
      "ANTHROPIC_API_KEY",
    ]) {
      expect(output).not.toContain(secret);
    }
  });

  it("reminds the model of the test rule when it finishes without testing its change", async () => {
    const h = await setup({ agent: { rules: ["Run the test command before finishing."] } });
    h.fake.enqueue(
      fakeToolUse("str_replace_based_edit_tool", {
        command: "str_replace",
        path: "src/add.js",
        old_str: "a - b",
        new_str: "a + b",
      }),
      fakeText("Done, I think."),
      fakeToolUse("bash", { command: "node --test" }),
      fakeText("Tests pass."),
    );
    const run = await h.execute();
    expect(run.status).toBe("succeeded");
    const reminders = (await h.events()).filter(
      (e) => e.type === "user_message" && (e.payload as { kind: string }).kind === "rule_reminder",
    );
    expect(reminders).toHaveLength(1);
    expect(h.fake.requests[2]?.body.messages.at(-1).content.at(-1).text).toContain("node --test");
  });

  it("sends extended thinking when the agent has a budget, and returns thinking blocks unchanged", async () => {
    const h = await setup({ testCommand: "", agent: { thinkingBudget: 2048 } });
    h.fake.enqueue(
      fakeMessage([
        { type: "thinking", thinking: "The test wants a sum.", signature: "sig-abc" },
        { type: "tool_use", id: "toolu_t", name: "bash", input: { command: "echo hi" } },
      ]),
      fakeText("Done."),
    );
    await h.execute();
    const first = h.fake.requests[0]?.body;
    expect(first.thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
    expect(first.max_tokens).toBeGreaterThan(2048);
    const replayed = h.fake.requests[1]?.body.messages.at(-2).content[0];
    expect(replayed).toMatchObject({
      type: "thinking",
      thinking: "The test wants a sum.",
      signature: "sig-abc",
    });
  });

  it("asks current models for adaptive thinking, which reject budget_tokens", async () => {
    const h = await setup({ testCommand: "", agent: { model: "claude-sonnet-5-5", thinkingBudget: 4096 } });
    h.fake.enqueue(
      fakeMessage([
        { type: "thinking", thinking: "Look first.", signature: "sig-adaptive" },
        { type: "tool_use", id: "toolu_a", name: "bash", input: { command: "echo hi" } },
      ]),
      fakeText("Done."),
    );
    const run = await h.execute();
    expect(run.status).toBe("succeeded");
    const first = h.fake.requests[0]?.body;
    expect(first.model).toBe("claude-sonnet-5-5");
    expect(first.thinking).toEqual({ type: "adaptive", display: "summarized" });
    // Thinking counts toward max_tokens: the budget is still room to think.
    expect(first.max_tokens).toBe(4096 + 8192);
    expect(h.fake.requests[1]?.body.messages.at(-2).content[0]).toMatchObject({
      type: "thinking",
      signature: "sig-adaptive",
    });
  });

  it("leaves thinking to the model's default when the agent has no budget", async () => {
    const h = await setup({ testCommand: "", agent: { model: "claude-opus-5-5", thinkingBudget: null } });
    h.fake.enqueue(fakeText("Done."));
    await h.execute();
    expect(h.fake.requests[0]?.body).not.toHaveProperty("thinking");
    expect(h.fake.requests[0]?.body.max_tokens).toBe(8192);
  });

  it("runs any model name, and an unknown model is unpriced rather than guessed", async () => {
    const h = await setup({ testCommand: "", agent: { model: "my-own-model-9" } });
    h.fake.enqueue(fakeText("Hi.", { usage: { input_tokens: 1000, output_tokens: 1000 } }));
    const run = await h.execute();
    expect(h.fake.requests[0]?.body.model).toBe("my-own-model-9");
    expect(run).toMatchObject({ status: "succeeded", unpriced: true, costUsd: 0, inputTokens: 1000 });
  });
});
