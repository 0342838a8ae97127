// A small, fixed history whose metrics are worked out by hand in lib/metrics/metrics.test.ts (and shown by
// e2e/metrics.spec.ts). Costs are what the engine stores: tokens × the catalogue price, per model call.
// "Now" is 2026-11-20 12:00 UTC; the 7-day range is 2026-11-14 … 2026-11-20.
import type { Db, Tx } from "@/db";
import { agents, type RunOutcome, repositories, reviews, runs, tasks } from "@/db/schema";
import { costOfUsage } from "@/lib/engine/pricing";
import { DEFAULT_MODEL_PRICES } from "@/lib/models/catalogue";

export const FIXTURE_NOW = new Date("2026-11-20T12:00:00Z");
export const UNPRICED_MODEL = "acme-coder-1";

const at = (value: string) => new Date(`2026-11-${value}Z`);

interface RunSpec {
  model: string;
  status: "succeeded" | "failed" | "cancelled" | "running";
  /** Omitted: changes ready for a succeeded run, failed for a failed or cancelled one. */
  outcome?: RunOutcome;
  kind?: string;
  queued: string;
  started: string | null;
  finished: string | null;
  tokens: [input: number, output: number, cacheWrite: number, cacheRead: number];
  modelMs?: number;
  toolMs?: number;
  humanWaitMs?: number;
  verify?: number | null;
}

function costOf(model: string, [input, output, cacheWrite, cacheRead]: RunSpec["tokens"]) {
  const price = DEFAULT_MODEL_PRICES.find((p) => p.model === model) ?? null;
  return costOfUsage(
    {
      input_tokens: input,
      output_tokens: output,
      cache_creation_input_tokens: cacheWrite,
      cache_read_input_tokens: cacheRead,
    },
    price,
  );
}

/** Inserts the fixture into a team whose catalogue holds the default prices; returns the ids by name. */
export async function insertMetricsFixture(
  db: Db | Tx,
  team: { teamId: string; ada: string; bob: string; suffix?: string },
) {
  const s = team.suffix ?? "";
  const [fixer, builder] = await db
    .insert(agents)
    .values([
      { teamId: team.teamId, name: `Fixer${s}`, model: "claude-haiku-4-5" },
      { teamId: team.teamId, name: `Builder${s}`, model: "claude-sonnet-4-5" },
    ])
    .returning();
  const [api, web] = await db
    .insert(repositories)
    .values([
      { teamId: team.teamId, name: `api${s}`, source: "/nonexistent/api", defaultBranch: "main" },
      { teamId: team.teamId, name: `web${s}`, source: "/nonexistent/web", defaultBranch: "main" },
    ])
    .returning();
  if (!fixer || !builder || !api || !web) throw new Error("fixture insert failed");

  let number = 1000 + Math.floor(Math.random() * 100_000) * 10;
  async function task(spec: {
    title: string;
    agent: { id: string };
    repo: { id: string };
    by: string;
    reviewer: string;
    status: (typeof tasks.$inferInsert)["status"];
    created: string;
    closed?: string;
    merged?: string;
    /** The last status change (for a failed or cancelled task, when its last run ended). */
    updated?: string;
    runs: RunSpec[];
    reviews?: { run: number; decision: "approved" | "changes_requested"; at: string; by: string }[];
  }) {
    number += 1;
    const [row] = await db
      .insert(tasks)
      .values({
        teamId: team.teamId,
        number,
        title: spec.title,
        prompt: spec.title,
        repoId: spec.repo.id,
        agentId: spec.agent.id,
        baseBranch: "main",
        status: spec.status,
        assignedBy: spec.by,
        reviewerId: spec.reviewer,
        createdAt: at(spec.created),
        updatedAt: at(spec.updated ?? spec.closed ?? spec.created),
        closedAt: spec.closed ? at(spec.closed) : null,
        mergedAt: spec.merged ? at(spec.merged) : null,
        approvedAt: spec.merged ? at(spec.merged) : null,
      })
      .returning();
    if (!row) throw new Error("fixture insert failed");
    const runIds: string[] = [];
    for (const run of spec.runs) {
      const cost = costOf(run.model, run.tokens);
      const [inserted] = await db
        .insert(runs)
        .values({
          teamId: team.teamId,
          taskId: row.id,
          agentId: spec.agent.id,
          model: run.model,
          status: run.status,
          outcome:
            run.outcome ??
            (run.status === "succeeded"
              ? "changes_ready"
              : run.status === "failed" || run.status === "cancelled"
                ? "failed"
                : null),
          kind: run.kind ?? "initial",
          branch: `foreman/${number}-fixture`,
          startedBy: spec.by,
          inputTokens: run.tokens[0],
          outputTokens: run.tokens[1],
          cacheWriteTokens: run.tokens[2],
          cacheReadTokens: run.tokens[3],
          costUsd: cost.costUsd,
          unpriced: cost.unpriced,
          steps: 3,
          modelMs: run.modelMs ?? 0,
          toolMs: run.toolMs ?? 0,
          humanWaitMs: run.humanWaitMs ?? 0,
          verifyExitCode: run.verify ?? null,
          queuedAt: at(run.queued),
          startedAt: run.started ? at(run.started) : null,
          finishedAt: run.finished ? at(run.finished) : null,
        })
        .returning({ id: runs.id });
      if (!inserted) throw new Error("fixture insert failed");
      runIds.push(inserted.id);
    }
    for (const review of spec.reviews ?? []) {
      await db.insert(reviews).values({
        teamId: team.teamId,
        taskId: row.id,
        runId: runIds[review.run],
        reviewerId: review.by,
        decision: review.decision,
        createdAt: at(review.at),
      });
    }
    return { task: row, runIds };
  }

  const haiku = "claude-haiku-4-5";
  const sonnet = "claude-sonnet-4-5";
  // T1 — merged at the first try. $0.01 + $0.01 + $0.005 + $0.002 = $0.027 (cache write and read priced).
  const t1 = await task({
    title: "Merged first try",
    agent: fixer,
    repo: api,
    by: team.ada,
    reviewer: team.bob,
    status: "merged",
    created: "15T10:00:00",
    closed: "15T11:20:00",
    merged: "15T11:20:00",
    runs: [
      {
        model: haiku,
        status: "succeeded",
        queued: "15T10:00:00",
        started: "15T10:00:30",
        finished: "15T10:10:00",
        tokens: [10_000, 2_000, 4_000, 20_000],
        modelMs: 300_000,
        toolMs: 200_000,
        verify: 0,
      },
    ],
    reviews: [{ run: 0, decision: "approved", at: "15T11:10:00", by: team.bob }],
  });
  // T2 — one request-changes round, then merged. $0.04 + $0.011 (the follow-up reads the cache).
  const t2 = await task({
    title: "Merged after changes",
    agent: fixer,
    repo: api,
    by: team.ada,
    reviewer: team.bob,
    status: "merged",
    created: "16T09:00:00",
    closed: "16T12:40:00",
    merged: "16T12:40:00",
    runs: [
      {
        model: haiku,
        status: "succeeded",
        queued: "16T09:00:00",
        started: "16T09:01:00",
        finished: "16T09:21:00",
        tokens: [20_000, 4_000, 0, 0],
        modelMs: 600_000,
        toolMs: 400_000,
        humanWaitMs: 120_000,
        verify: 0,
      },
      {
        model: haiku,
        status: "succeeded",
        kind: "follow_up",
        queued: "16T10:21:00",
        started: "16T10:21:00",
        finished: "16T10:31:00",
        tokens: [5_000, 1_000, 0, 10_000],
        modelMs: 200_000,
        toolMs: 100_000,
        verify: 0,
      },
    ],
    reviews: [
      { run: 0, decision: "changes_requested", at: "16T10:21:00", by: team.bob },
      { run: 1, decision: "approved", at: "16T12:31:00", by: team.bob },
    ],
  });
  // T3 — failed, verification red. $0.30 + $0.15 + $0.0375 = $0.4875. Its title was edited on the 19th:
  // it still ended on the 17th, when its run failed.
  const t3 = await task({
    title: "Failed run",
    agent: builder,
    repo: web,
    by: team.bob,
    reviewer: team.ada,
    status: "failed",
    created: "17T08:00:00",
    updated: "19T10:00:00",
    runs: [
      {
        model: sonnet,
        status: "failed",
        queued: "17T08:00:00",
        started: "17T08:00:10",
        finished: "17T08:05:10",
        tokens: [100_000, 10_000, 10_000, 0],
        modelMs: 250_000,
        toolMs: 40_000,
        verify: 1,
      },
    ],
  });
  // T4 — on a model the catalogue has no price for: $0, flagged unpriced; discarded.
  const t4 = await task({
    title: "Unpriced and discarded",
    agent: builder,
    repo: web,
    by: team.ada,
    reviewer: team.ada,
    status: "discarded",
    created: "18T14:00:00",
    closed: "18T16:00:00",
    runs: [
      {
        model: UNPRICED_MODEL,
        status: "succeeded",
        queued: "18T14:00:00",
        started: "18T14:00:00",
        finished: "18T14:30:00",
        tokens: [50_000, 5_000, 0, 0],
        modelMs: 1_000_000,
        toolMs: 500_000,
        verify: 0,
      },
    ],
  });
  // T5 — waiting for Ada's review. $0.001 + $0.005 = $0.006.
  const t5 = await task({
    title: "Waiting for review",
    agent: fixer,
    repo: web,
    by: team.bob,
    reviewer: team.ada,
    status: "in_review",
    created: "19T09:00:00",
    runs: [
      {
        model: haiku,
        status: "succeeded",
        queued: "19T09:00:00",
        started: "19T09:00:00",
        finished: "19T09:10:00",
        tokens: [1_000, 1_000, 0, 0],
        modelMs: 100_000,
        toolMs: 100_000,
        verify: 0,
      },
    ],
  });
  // T6 — the previous period (out of the 7-day range): merged, $0.10 + $0.05 = $0.15.
  const t6 = await task({
    title: "Last week",
    agent: fixer,
    repo: api,
    by: team.ada,
    reviewer: team.bob,
    status: "merged",
    created: "10T10:00:00",
    closed: "10T12:00:00",
    merged: "10T12:00:00",
    runs: [
      {
        model: haiku,
        status: "succeeded",
        queued: "10T10:00:00",
        started: "10T10:00:00",
        finished: "10T10:20:00",
        tokens: [100_000, 10_000, 0, 0],
        verify: 0,
      },
    ],
    reviews: [{ run: 0, decision: "approved", at: "10T11:00:00", by: team.bob }],
  });
  // T7 — cancelled while still queued: its run counts, the task is not an outcome.
  const t7 = await task({
    title: "Cancelled in the queue",
    agent: builder,
    repo: web,
    by: team.bob,
    reviewer: team.ada,
    status: "cancelled",
    created: "19T15:00:00",
    updated: "19T15:05:00",
    runs: [
      {
        model: sonnet,
        status: "cancelled",
        queued: "19T15:00:00",
        started: null,
        finished: "19T15:05:00",
        tokens: [0, 0, 0, 0],
      },
    ],
  });
  // T8 — cancelled while its run was working: an ended task (it had its chance). $0.06 + $0.03 = $0.09.
  // Edited on the 20th; it ended on the 18th, when the cancelled run finished.
  const t8 = await task({
    title: "Cancelled mid-run",
    agent: builder,
    repo: api,
    by: team.bob,
    reviewer: team.ada,
    status: "cancelled",
    created: "18T09:00:00",
    updated: "20T08:00:00",
    runs: [
      {
        model: sonnet,
        status: "cancelled",
        queued: "18T09:00:00",
        started: "18T09:00:20",
        finished: "18T09:04:00",
        tokens: [20_000, 2_000, 0, 0],
        modelMs: 150_000,
        toolMs: 50_000,
      },
    ],
  });
  // T9 — merged after one round; the agent's model was switched to the unpriced one for the follow-up, so
  // the task's model is acme-coder-1 and its cost ($0.01 + $0.005 = $0.015, haiku run only) is flagged.
  const t9 = await task({
    title: "Merged with an unpriced run",
    agent: fixer,
    repo: web,
    by: team.ada,
    reviewer: team.bob,
    status: "merged",
    created: "19T10:00:00",
    closed: "19T13:00:00",
    merged: "19T13:00:00",
    runs: [
      {
        model: haiku,
        status: "succeeded",
        queued: "19T10:00:00",
        started: "19T10:00:00",
        finished: "19T10:20:00",
        tokens: [10_000, 1_000, 0, 0],
        modelMs: 400_000,
        toolMs: 300_000,
        verify: 0,
      },
      {
        model: UNPRICED_MODEL,
        status: "succeeded",
        kind: "follow_up",
        queued: "19T11:00:00",
        started: "19T11:00:00",
        finished: "19T11:30:00",
        tokens: [30_000, 3_000, 0, 0],
        modelMs: 900_000,
        toolMs: 600_000,
        verify: 0,
      },
    ],
    reviews: [
      { run: 0, decision: "changes_requested", at: "19T11:00:00", by: team.bob },
      { run: 1, decision: "approved", at: "19T12:30:00", by: team.bob },
    ],
  });
  return { fixer, builder, api, web, tasks: { t1, t2, t3, t4, t5, t6, t7, t8, t9 } };
}
