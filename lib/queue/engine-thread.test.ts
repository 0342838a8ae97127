// On the embedded database the web server's process runs agents in a thread of its own, reaching PGlite
// through a port to the database's thread: a real run, from claim to its end, executed there.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, databaseKind } from "@/db";
import { runs } from "@/db/schema";
import { engineSetup } from "@/lib/testing/engine-harness";
import { fakeText, fakeToolUse } from "@/lib/testing/fake-anthropic";
import { startEngineThread } from "./engine-thread";

const saved = {
  url: process.env.DATABASE_URL,
  key: process.env.ANTHROPIC_API_KEY,
  base: process.env.ANTHROPIC_BASE_URL,
};

beforeAll(async () => {
  await closeDb();
  delete process.env.DATABASE_URL;
  expect(await databaseKind()).toBe("pglite");
});

afterAll(async () => {
  await closeDb();
  for (const [name, value] of [
    ["DATABASE_URL", saved.url],
    ["ANTHROPIC_API_KEY", saved.key],
    ["ANTHROPIC_BASE_URL", saved.base],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("the engine thread on the embedded database", () => {
  it("executes a queued run to its end and hands nothing back", async () => {
    const h = await engineSetup({ testCommand: "" });
    h.fake.enqueue(
      fakeToolUse("bash", { command: "echo from-the-thread > proof.txt && cat proof.txt" }),
      fakeText("Wrote proof.txt."),
    );
    // The thread reads the model's address from its environment, as `npm start` gives it.
    process.env.ANTHROPIC_API_KEY = "sk-test";
    process.env.ANTHROPIC_BASE_URL = h.fake.url;
    const engine = await startEngineThread({ concurrency: 2 });
    try {
      expect(engine.id()).toMatch(/:\d+:\w+$/);
      await expect
        .poll(async () => (await h.runRow()).status, { timeout: 60_000, interval: 100 })
        .toBe("succeeded");
      const events = await h.events();
      const types = events.map((e) => e.type);
      expect(types).toContain("tool_result");
      expect(types.at(-1)).toBe("run_finished");
      const result = events.find((e) => e.type === "tool_result");
      expect(JSON.stringify(result?.payload)).toContain("from-the-thread");
      expect(h.fake.requests.length).toBe(2);
    } finally {
      await engine.stop();
      await h.fake.close();
    }
    // The server's own handle is untouched by the thread's end.
    const [row] = await h.db.select({ leaseOwner: runs.leaseOwner }).from(runs).where(eq(runs.id, h.run.id));
    expect(row?.leaseOwner ?? null).toBeNull();
  }, 90_000);
});
