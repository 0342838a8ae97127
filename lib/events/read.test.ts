import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { teamAdmin } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { appendRunEvents } from "./append";
import { readRunEvents, readRunEventsShared } from "./read";

describe("the streams' shared reader", () => {
  it("answers the reads of one turn exactly as one read each would", async () => {
    const admin = await teamAdmin();
    const db = await getDb();
    const runs = [(await insertRun(admin)).run, (await insertRun(admin)).run, (await insertRun(admin)).run];
    for (const [index, run] of runs.slice(0, 2).entries()) {
      await db.transaction((tx) =>
        appendRunEvents(
          tx,
          run,
          Array.from({ length: 3 + index }, (_, i) => ({
            type: "user_message" as const,
            payload: { text: `run ${index} message ${i + 1}`, kind: "steer" as const },
          })),
        ),
      );
    }
    const [a, b, c] = runs as [(typeof runs)[0], (typeof runs)[0], (typeof runs)[0]];
    const asked: [string, number][] = [
      [a.id, 0],
      [a.id, 2],
      [b.id, 1],
      [b.id, 4],
      [c.id, 0],
    ];
    // Asked in the same turn: answered together.
    const together = await Promise.all(asked.map(([runId, after]) => readRunEventsShared(runId, after)));
    const alone = await Promise.all(asked.map(([runId, after]) => readRunEvents(runId, after)));
    expect(together).toEqual(alone);
    expect(together.map((events) => events.map((event) => event.seq))).toEqual([
      [1, 2, 3],
      [3],
      [2, 3, 4],
      [],
      [],
    ]);
    expect(together[0]?.[0]?.createdAt).toBeInstanceOf(Date);
  });
});
