// No silent downgrade: without bubblewrap nothing is queued and no run starts; FOREMAN_SANDBOX=off is the
// admin's explicit way out, and then it is what the runs record.

import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { runs } from "@/db/schema";
import { createTask } from "@/lib/tasks/service";
import { teamAdmin } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { DEFAULT_SANDBOX_LIMITS } from "./limits";
import { openSandbox } from "./sandbox";
import { assertRunsCanStart, resetSandboxStatus, sandboxStatus } from "./status";

afterEach(() => {
  delete process.env.FOREMAN_BWRAP;
  delete process.env.FOREMAN_SANDBOX;
  resetSandboxStatus();
});

function withoutBubblewrap() {
  process.env.FOREMAN_BWRAP = "/nonexistent/bwrap";
  resetSandboxStatus();
}

describe("the sandbox status", () => {
  it("is bubblewrap on this machine", async () => {
    expect(await sandboxStatus()).toMatchObject({ mode: "bwrap" });
  });

  it("without bubblewrap: unavailable, with the reason and what to do", async () => {
    withoutBubblewrap();
    const status = await sandboxStatus();
    expect(status).toEqual({
      mode: "unavailable",
      reason: "bubblewrap (/nonexistent/bwrap) is not installed.",
    });
    await expect(assertRunsCanStart()).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/Runs are refused: bubblewrap .* FOREMAN_SANDBOX=off/),
    });
    await expect(
      openSandbox({
        stateDir: "/tmp/never",
        workTree: "/tmp/never",
        network: "none",
        allowedHosts: [],
        limits: DEFAULT_SANDBOX_LIMITS,
      }),
    ).rejects.toThrow(/Runs are refused/);
  });

  it("without bubblewrap, assigning a task is refused and nothing is queued", async () => {
    const admin = await teamAdmin();
    const { repo, agent } = await insertRun(admin);
    const db = await getDb();
    const before = await db.select().from(runs).where(eq(runs.teamId, admin.teamId));
    withoutBubblewrap();
    await expect(
      createTask(admin, { title: "Try", prompt: "Try", repoId: repo.id, agentId: agent.id }),
    ).rejects.toThrow(/Runs are refused/);
    expect(await db.select().from(runs).where(eq(runs.teamId, admin.teamId))).toHaveLength(before.length);
  });

  it("FOREMAN_SANDBOX=off is an explicit opt-out, even without bubblewrap", async () => {
    withoutBubblewrap();
    process.env.FOREMAN_SANDBOX = "off";
    resetSandboxStatus();
    expect(await sandboxStatus()).toEqual({ mode: "off" });
    await expect(assertRunsCanStart()).resolves.toBeUndefined();
  });
});
