// The embedded database (no DATABASE_URL), whatever the test run's database: PGlite in a thread of its own.
import { Worker } from "node:worker_threads";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, databaseKind, databasePortForAnotherThread, getDb, listen, rowsOf } from "@/db";

let savedUrl: string | undefined;

beforeAll(async () => {
  await closeDb();
  savedUrl = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  expect(await databaseKind()).toBe("pglite");
});

afterAll(async () => {
  await closeDb();
  if (savedUrl) process.env.DATABASE_URL = savedUrl;
});

describe("the embedded database in its own thread", () => {
  it("keeps the server's event loop turning while a long statement runs", async () => {
    const db = await getDb();
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 10);
    const started = performance.now();
    const [row] = rowsOf<{ total: string }>(
      await db.execute(sql`select sum(x)::text as total from generate_series(1, 8000000) x`),
    );
    const ended = performance.now();
    clearInterval(timer);
    expect(row?.total).toBe("32000004000000");
    // On the server's own thread the statement ran as one block: no timer could fire until it returned.
    expect(ended - started).toBeGreaterThan(300);
    const during = ticks.filter((t) => t > started && t < ended);
    expect(during.length).toBeGreaterThanOrEqual(10);
  });

  it("keeps a transaction's statements apart from those of everyone else", async () => {
    const db = await getDb();
    await db.execute(sql`create table thread_probe (name text primary key)`);
    let outside: Promise<unknown> | undefined;
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into thread_probe values ('inside')`);
        // Issued while the transaction is open: it must wait for it, not run inside it and be rolled back.
        outside = db.execute(sql`insert into thread_probe values ('outside')`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    await outside;
    const names = rowsOf<{ name: string }>(
      await db.execute(sql`select name from thread_probe order by name`),
    );
    expect(names.map((r) => r.name)).toEqual(["outside"]);
  });

  it("reports PostgreSQL's error code, and delivers NOTIFY on commit to listeners", async () => {
    const db = await getDb();
    const error = await db.execute(sql`insert into thread_probe values ('outside')`).catch((e) => e);
    expect((error as { cause?: { code?: string } }).cause?.code).toBe("23505");

    const payloads: string[] = [];
    const unlisten = await listen("thread_probe_channel", (payload) => payloads.push(payload));
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_notify('thread_probe_channel', 'committed')`);
    });
    await expect.poll(() => payloads).toEqual(["committed"]);
    await unlisten();
    await db.execute(sql`select pg_notify('thread_probe_channel', 'after unlisten')`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(payloads).toEqual(["committed"]);
  });
});

/**
 * Another thread speaking the port's protocol by hand (db/pglite-thread.ts): it commits a NOTIFY, then opens
 * a transaction, writes in it, says so, and waits to be terminated with the transaction still open.
 */
const OTHER_THREAD = `
const { workerData, parentPort } = require("node:worker_threads");
const port = workerData.port;
let next = 1;
const waiting = new Map();
port.on("message", (m) => m.type === "reply" && waiting.get(m.id)?.(m));
const ask = (request) => new Promise((resolve) => { const id = next++; waiting.set(id, resolve); port.postMessage({ id, ...request }); });
(async () => {
  await ask({ op: "query", sql: "select pg_notify('other_thread', 'hello from the other thread')", params: [] });
  const begun = await ask({ op: "begin" });
  await ask({ op: "query", sql: "insert into thread_probe values ('dead thread')", params: [], tx: begun.result });
  parentPort.postMessage("holding a transaction");
})();
`;

describe("another thread of the process on the same database", () => {
  it("sees the same data and notifications, and its open transaction ends with it", async () => {
    const db = await getDb();
    const port = await databasePortForAnotherThread();
    expect(port).not.toBeNull();
    const heard: string[] = [];
    const unlisten = await listen("other_thread", (payload) => heard.push(payload));
    const other = new Worker(OTHER_THREAD, {
      eval: true,
      workerData: { port },
      transferList: port ? [port] : [],
    });
    await new Promise((resolve) => other.once("message", resolve));
    await expect.poll(() => heard).toEqual(["hello from the other thread"]);

    // Its transaction holds PGlite's lock (even an UNLISTEN waits for it): this write waits until the thread is gone and its work rolled back.
    const write = db.execute(sql`insert into thread_probe values ('after the thread')`);
    await other.terminate();
    await write;
    const names = rowsOf<{ name: string }>(
      await db.execute(sql`select name from thread_probe order by name`),
    );
    expect(names.map((r) => r.name)).toEqual(["after the thread", "outside"]);
    await unlisten();
  });
});
