// A worker asked to stop (SIGTERM, as `npm start` and `npm run worker` pass it on) ends the command in
// flight, hands its run back at once — another worker takes it within seconds, not after the lease runs
// out — and the run resumes there with the interrupted call run again.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { executeRun } from "@/lib/engine/execute-run";
import { runDir } from "@/lib/git/run-repo";
import { type EngineSetup, engineSetup } from "@/lib/testing/engine-harness";
import { fakeText, fakeToolUse } from "@/lib/testing/fake-anthropic";
import { alive } from "@/lib/testing/processes";
import { claimRun } from "./claim";

let current: EngineSetup | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill("SIGKILL");
  await current?.fake.close();
  current = undefined;
});

describe.skipIf(!process.env.DATABASE_URL)("a worker that is asked to stop", () => {
  it("ends the command in flight and hands its run back at once", async () => {
    const h = await engineSetup({ testCommand: "" });
    current = h;
    const sleeper = `sleep ${4000 + Math.floor(Math.random() * 1000)}`;
    h.fake.enqueue(
      // Run again on resume (the call has no result yet): the second time it finds its mark and ends.
      fakeToolUse("bash", {
        command: `if [ -f started.txt ]; then echo again; else echo started > started.txt; ${sleeper}; fi`,
      }),
      fakeText("Finished."),
    );
    child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/worker.ts"], {
      env: {
        ...process.env,
        ANTHROPIC_API_KEY: "sk-test",
        ANTHROPIC_BASE_URL: h.fake.url,
        // A long lease: only an immediate hand-back lets the next worker take the run in time.
        FOREMAN_LEASE_SECONDS: "120",
        WORKER_CONCURRENCY: "1",
      },
      stdio: "ignore",
    });
    const started = path.join(runDir(h.run.id), "repo", "started.txt");
    const deadline = Date.now() + 30_000;
    while (!fs.existsSync(started)) {
      if (Date.now() > deadline) throw new Error("the worker never started the command");
      await new Promise((r) => setTimeout(r, 50));
    }
    const stopping = Date.now();
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child?.once("exit", resolve));
    expect(code).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(alive(sleeper)).toBe(false);

    // Handed back: claimable now, well inside the 120 s lease the first worker had.
    const claimed = await claimRun("worker-b");
    expect(claimed?.id).toBe(h.run.id);
    if (!claimed) throw new Error("not claimed");
    await executeRun(claimed, { workerId: "worker-b", client: h.client });
    const run = await h.runRow();
    expect(run.status).toBe("succeeded");
    const results = (await h.events()).filter((e) => e.type === "tool_result");
    expect(results.at(-1)?.payload).toMatchObject({ resumed: true, content: "again\n" });
  }, 90_000);
});
