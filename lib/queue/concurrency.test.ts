import { describe, expect, it } from "vitest";
import { defaultConcurrency, MAX_DEFAULT_CONCURRENCY } from "./worker";

const GiB = 1024 ** 3;
const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe("runs per worker process", () => {
  it("defaults from the machine's memory: 50 on this class of machine, fewer on a small one, never below 2", () => {
    expect(defaultConcurrency(env({}), 24 * GiB)).toBe(MAX_DEFAULT_CONCURRENCY);
    expect(defaultConcurrency(env({}), 2 * GiB)).toBe(8);
    expect(defaultConcurrency(env({}), 256 * 1024 ** 2)).toBe(2);
  });

  it("takes WORKER_CONCURRENCY as set, 0 included, and refuses anything that isn't a whole number", () => {
    expect(defaultConcurrency(env({ WORKER_CONCURRENCY: "120" }), 2 * GiB)).toBe(120);
    expect(defaultConcurrency(env({ WORKER_CONCURRENCY: "0" }), 24 * GiB)).toBe(0);
    expect(defaultConcurrency(env({ WORKER_CONCURRENCY: " " }), 24 * GiB)).toBe(50);
    for (const bad of ["four", "-1", "2.5", "1e3"]) {
      expect(() => defaultConcurrency(env({ WORKER_CONCURRENCY: bad }), 24 * GiB)).toThrow(
        `WORKER_CONCURRENCY must be a whole number of runs (0 turns the web server's worker off), not "${bad}".`,
      );
    }
  });
});
