// The database's own ceiling: N concurrent loops, each doing single-row INSERTs (one autocommit
// transaction each) into a scratch table shaped like run_events, over a pool of the engine's size.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";

/** Payloads like the engine's: an assistant reply, a tool call, a tool result with file content. */
function payloads(fileContent: string): Record<string, unknown>[] {
  return [
    {
      step: 3,
      model: "claude-haiku-4-5",
      content: [{ type: "tool_use", id: "toolu_bench_3", name: "str_replace_based_edit_tool", input: {} }],
      stopReason: "tool_use",
      usage: { inputTokens: 10, outputTokens: 5, cacheWriteTokens: 0, cacheReadTokens: 0 },
      costUsd: 0.00003,
      unpriced: false,
      modelMs: 4,
    },
    {
      toolUseId: "toolu_bench_3",
      name: "str_replace_based_edit_tool",
      input: { command: "view", path: "src/notes.txt" },
    },
    { toolUseId: "toolu_bench_3", content: fileContent, isError: false, durationMs: 3 },
  ];
}

export async function measureRawInserts(options: {
  url: string;
  concurrency: number;
  poolSize: number;
  seconds: number;
  fileContent: string;
}): Promise<{ inserts: number; seconds: number; perSecond: number; p50Ms: number; p95Ms: number }> {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize });
  pool.on("error", () => {});
  try {
    await pool.query(`create table if not exists bench_raw_events (
      run_id uuid not null,
      seq integer not null,
      team_id uuid not null,
      type text not null,
      payload jsonb not null,
      created_at timestamp with time zone not null default now(),
      primary key (run_id, seq))`);
    await pool.query("truncate bench_raw_events");
    const shapes = payloads(options.fileContent).map((p) => JSON.stringify(p));
    const types = ["assistant_message", "tool_call", "tool_result"];
    const teamId = randomUUID();
    const latencies: number[] = [];
    let inserts = 0;
    // Warm the pool's connections first, so connection setup is not measured.
    await Promise.all(
      Array.from({ length: options.poolSize }, () => pool.query("select 1")).map((q) => q.catch(() => {})),
    );
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        const runId = randomUUID();
        for (let seq = 1; performance.now() < deadline; seq++) {
          const kind = seq % 3;
          const t0 = performance.now();
          await pool.query(
            "insert into bench_raw_events (run_id, seq, team_id, type, payload) values ($1, $2, $3, $4, $5)",
            [runId, seq, teamId, types[kind], shapes[kind]],
          );
          latencies.push(performance.now() - t0);
          inserts += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const pick = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    await pool.query("drop table bench_raw_events");
    return { inserts, seconds, perSecond: inserts / seconds, p50Ms: pick(0.5), p95Ms: pick(0.95) };
  } finally {
    await pool.end();
  }
}
