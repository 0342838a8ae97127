import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runDir } from "@/lib/git/run-repo";
import { claimRun } from "@/lib/queue/claim";
import { type EngineSetup, engineSetup } from "@/lib/testing/engine-harness";
import { fakeText, fakeToolUse } from "@/lib/testing/fake-anthropic";
import { executeRun } from "./execute-run";

let current: EngineSetup | undefined;
let child: ChildProcess | undefined;
async function setup(options?: Parameters<typeof engineSetup>[0]) {
  current = await engineSetup(options);
  return current;
}
afterEach(async () => {
  child?.kill("SIGKILL");
  await current?.fake.close();
  current = undefined;
});

const onPostgres = Boolean(process.env.DATABASE_URL);

describe("durable runs", () => {
  it("keeps a 200+ step run inside a small context window by compacting it", async () => {
    const big = `${"x".repeat(78)}\n`.repeat(20); // ~1600 characters, ~400 tokens per view
    const h = await setup({
      files: { "big.txt": big },
      testCommand: "",
      contextWindow: 8000,
      agent: { maxSteps: 400, maxCostUsd: 1000 },
    });
    const STEPS = 210;
    // Each reply: view the big file again, until step 210; usage reports the real request size.
    const nextStep = (request: { index: number; body: unknown }) => {
      const step = request.index;
      const usage = { input_tokens: Math.ceil(JSON.stringify(request.body).length / 4), output_tokens: 20 };
      return step >= STEPS
        ? { kind: "message" as const, content: [{ type: "text" as const, text: "All done." }], usage }
        : {
            kind: "message" as const,
            content: [
              {
                type: "tool_use" as const,
                name: "str_replace_based_edit_tool",
                input: { command: "view", path: "big.txt" },
              },
            ],
            usage,
          };
    };
    for (let i = 0; i <= STEPS + 5; i++) h.fake.enqueue(nextStep);
    const run = await h.execute();
    expect(run).toMatchObject({ status: "succeeded", steps: STEPS + 1 });
    const sizes = h.fake.requests.map((r) => Math.ceil(JSON.stringify(r.body).length / 4));
    expect(Math.max(...sizes)).toBeLessThan(8000);
    const compactions = (await h.events()).filter((e) => e.type === "compaction");
    expect(compactions.length).toBeGreaterThan(5);
    // The task itself is never compacted away.
    expect(h.fake.requests.at(-1)?.body.messages[0].content[0].text).toBe("Fix the failing test");
  }, 120_000);

  it.skipIf(!onPostgres)(
    "resumes a run whose worker was killed (kill -9) from its last stored step, with no step lost or repeated",
    async () => {
      const h = await setup({ testCommand: "" });
      // Commands run in the sandbox: the run's repository is the one place they can leave a mark.
      const marker = path.join(runDir(h.run.id), "repo", "ran.txt");
      h.fake.enqueue(
        fakeToolUse("bash", { command: "echo one > one.txt" }, { toolUseId: "toolu_one" }),
        fakeToolUse(
          "bash",
          { command: "echo run >> ran.txt; sleep 2; echo two > two.txt" },
          { toolUseId: "toolu_two" },
        ),
        fakeText("Both files written."),
      );
      // node itself (not the tsx wrapper, which would leave its node child alive), so SIGKILL hits the worker.
      child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/worker.ts"], {
        env: {
          ...process.env,
          ANTHROPIC_API_KEY: "sk-test",
          ANTHROPIC_BASE_URL: h.fake.url,
          FOREMAN_LEASE_SECONDS: "2",
          WORKER_CONCURRENCY: "1",
        },
        stdio: "ignore",
      });
      // Wait until the worker is inside the second tool call, then kill it without warning.
      const deadline = Date.now() + 30_000;
      while (!fs.existsSync(marker)) {
        if (Date.now() > deadline) throw new Error("the worker never reached the second tool call");
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill("SIGKILL");
      await new Promise((r) => setTimeout(r, 2500)); // the lease (2 s) runs out

      const claimed = await claimRun("worker-b");
      expect(claimed).toMatchObject({ id: h.run.id, attempts: 2 });
      if (!claimed) throw new Error("not claimed");
      await executeRun(claimed, { workerId: "worker-b", client: h.client });

      const run = await h.runRow();
      expect(run).toMatchObject({ status: "succeeded", steps: 3 });
      const events = await h.events();
      expect(events.map((e) => e.type)).toEqual([
        "run_started",
        "sandbox",
        "user_message",
        "assistant_message",
        "tool_call",
        "tool_result",
        "checkpoint",
        "assistant_message",
        "tool_call",
        "run_started",
        "sandbox",
        "tool_result",
        "checkpoint",
        "assistant_message",
        "run_finished",
      ]);
      expect(
        events.find((e) => e.type === "run_started" && (e.payload as { resumed: boolean }).resumed),
      ).toBeTruthy();
      const results = events
        .filter((e) => e.type === "tool_result")
        .map((e) => e.payload as { toolUseId: string; resumed?: boolean });
      expect(results).toEqual([
        expect.objectContaining({ toolUseId: "toolu_one" }),
        expect.objectContaining({ toolUseId: "toolu_two", resumed: true }),
      ]);
      expect(results[0]?.resumed).toBeUndefined();
      // Three model calls in all: the killed worker's in-flight tool was re-run, no reply was asked twice.
      expect(h.fake.requests).toHaveLength(3);
      expect(h.sourceGit("show", `${run.branch}:two.txt`)).toBe("two");
      expect(h.sourceGit("show", `${run.branch}:one.txt`)).toBe("one");
      // The killed call ran again on resume, in the repository the first worker left.
      expect(h.sourceGit("show", `${run.branch}:ran.txt`)).toBe("run\nrun");
    },
    60_000,
  );
});
