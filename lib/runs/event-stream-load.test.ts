import { afterAll, describe, expect, it } from "vitest";
import * as eventsRoute from "@/app/api/v1/runs/[id]/events/route";
import { getDb } from "@/db";
import { runs, tasks } from "@/db/schema";
import { createModelClient } from "@/lib/engine/model-client";
import { readRunEvents } from "@/lib/events/read";
import { serializeRunEvent } from "@/lib/events/run-event";
import { syncClone } from "@/lib/git/clone";
import { startWorker, type Worker } from "@/lib/queue/worker";
import { makeSourceRepo } from "@/lib/testing/engine-harness";
import { fakeText, fakeToolUse, startFakeAnthropic } from "@/lib/testing/fake-anthropic";
import { teamAdmin } from "@/lib/testing/fixtures";
import { insertLoadWorkspace } from "@/lib/testing/run-fixtures";
import { createApiToken } from "@/lib/tokens/service";

const RUNS = 100;
/** Model calls per run: STEPS - 1 bash echoes, then the end of the turn. */
const STEPS = 4;

let worker: Worker | undefined;
let fake: Awaited<ReturnType<typeof startFakeAnthropic>> | undefined;
afterAll(async () => {
  await worker?.stop({ wait: false });
  await fake?.close();
});

/** The SSE messages of a stream's body, in order. */
function parseSse(text: string) {
  return text
    .split("\n\n")
    .filter((block) => block.includes("data: "))
    .map((block) => {
      const field = (name: string) =>
        block
          .split("\n")
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2);
      return { id: field("id"), event: field("event"), data: JSON.parse(field("data") ?? "null") };
    });
}

describe("run event streams under load", () => {
  it(`${RUNS} concurrent runs: every stream holds exactly its run's stored events`, {
    timeout: 120_000,
  }, async () => {
    const admin = await teamAdmin();
    const { token } = await createApiToken(admin, { name: "load" });
    const db = await getDb();
    const { repo, agent } = await insertLoadWorkspace(admin, {
      source: makeSourceRepo({ "README.md": "# load\n" }),
      runs: RUNS,
      agent: { maxSteps: STEPS + 5 },
    });

    // The model's answer depends only on the request: which run (from the task prompt) and which step.
    fake = await startFakeAnthropic({
      route: (request) => {
        const messages: { role: string }[] = request.body?.messages ?? [];
        const run = /LOAD-RUN (\d+)/.exec(JSON.stringify(messages[0] ?? ""))?.[1] ?? "x";
        const step = messages.filter((m) => m.role === "assistant").length + 1;
        if (step >= STEPS) return fakeText(`Run ${run} done.`);
        return fakeToolUse(
          "bash",
          { command: `echo run ${run} step ${step}` },
          { toolUseId: `toolu_${step}` },
        );
      },
    });
    const client = createModelClient({ apiKey: "sk-test", baseURL: fake.url, maxRetries: 0 });

    const insertedTasks = await db
      .insert(tasks)
      .values(
        Array.from({ length: RUNS }, (_, i) => ({
          teamId: admin.teamId,
          number: i + 1,
          title: `Load ${i}`,
          prompt: `LOAD-RUN ${i}: say hello.`,
          repoId: repo.id,
          agentId: agent.id,
          baseBranch: "main",
          assignedBy: admin.userId,
        })),
      )
      .returning({ id: tasks.id, number: tasks.number });
    const insertedRuns = await db
      .insert(runs)
      .values(
        insertedTasks.map((task) => ({
          teamId: admin.teamId,
          taskId: task.id,
          agentId: agent.id,
          model: agent.model,
          branch: `load/${task.number}`,
          maxSteps: agent.maxSteps,
          maxCostUsd: agent.maxCostUsd,
          maxDurationSec: agent.maxDurationSec,
        })),
      )
      .returning({ id: runs.id });
    await syncClone(repo);

    // A subscriber per run, listening before its run starts; each body resolves when its stream ends.
    const bodies = await Promise.all(
      insertedRuns.map(async (run) => {
        const request = new Request(`http://localhost/api/v1/runs/${run.id}/events`, {
          headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
        });
        const response = await eventsRoute.GET(request, { params: Promise.resolve({ id: run.id }) });
        expect(response.status).toBe(200);
        return { text: response.text() }; // wrapped: awaiting it here would wait for the run's end
      }),
    );
    const started = Date.now();
    worker = await startWorker({ concurrency: RUNS, client: () => client, sweepMs: 1000 });
    const texts = await Promise.all(bodies.map((body) => body.text));
    const seconds = (Date.now() - started) / 1000;

    let events = 0;
    for (const [index, run] of insertedRuns.entries()) {
      const stored = (await readRunEvents(run.id)).map(serializeRunEvent);
      const streamed = parseSse(texts[index] as string)
        .filter((message) => message.event === "run_event")
        .map((message) => {
          expect(message.id).toBe(String(message.data.seq));
          return message.data;
        });
      expect(stored.at(-1)).toMatchObject({ type: "run_finished", payload: { status: "succeeded" } });
      expect(stored.filter((e) => e.type === "tool_result")).toHaveLength(STEPS - 1);
      expect(streamed).toEqual(stored);
      events += stored.length;
    }
    console.log(`[load] ${RUNS} runs, ${events} events streamed and matched in ${seconds.toFixed(1)} s`);
  });
});
