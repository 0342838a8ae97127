import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareRunRepo, type RunRepo } from "@/lib/git/run-repo";
import { git } from "@/lib/git/test-repos";
import { DEFAULT_SANDBOX_LIMITS } from "@/lib/sandbox/limits";
import { openSandbox, type Sandbox } from "@/lib/sandbox/sandbox";
import { executeTool, type ToolEnvironment } from "./tool-runner";
import { BASH_TOOL_NAME, EDITOR_TOOL_NAME } from "./tools/definitions";

let source: string;
let runRepo: RunRepo;
let sandbox: Sandbox;
beforeAll(async () => {
  source = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "foreman-tool-runner-")));
  git(source, "init", "-q", "-b", "main");
  fs.writeFileSync(path.join(source, "a.txt"), "a\n");
  git(source, "add", "a.txt");
  git(source, "commit", "-q", "-m", "first");
  runRepo = await prepareRunRepo({
    repo: { id: `tool-runner-${Date.now()}`, source },
    runId: `tool-runner-run-${Date.now()}`,
    branch: "foreman/1-tools",
    baseBranch: "main",
  });
  sandbox = await openSandbox({
    stateDir: runRepo.dir,
    workTree: runRepo.workTree,
    network: "none",
    allowedHosts: [],
    limits: DEFAULT_SANDBOX_LIMITS,
  });
});
afterAll(async () => {
  await sandbox.close();
  fs.rmSync(source, { recursive: true, force: true });
});

function environment(): ToolEnvironment {
  return {
    runRepo,
    sandbox,
    bashTimeoutMs: 10_000,
    maxOutputBytes: 30_000,
    riskyPatterns: [],
    lastTree: {},
    signal: new AbortController().signal,
    requestApproval: async () => ({ approved: true, by: "test" }),
  };
}

let n = 0;
const bash = (command: string) => ({ id: `toolu_${++n}`, name: BASH_TOOL_NAME, input: { command } });
const editor = (input: Record<string, unknown>) => ({ id: `toolu_${++n}`, name: EDITOR_TOOL_NAME, input });

describe("which files a tool call changed", () => {
  it("gives each call only its own changes, across bash and editor calls that share a worktree", async () => {
    const env = environment();
    expect((await executeTool(env, bash("echo b > b.txt"))).changedFiles).toEqual(["b.txt"]);
    expect((await executeTool(env, bash("cat b.txt"))).changedFiles).toBeUndefined();

    const created = await executeTool(env, editor({ command: "create", path: "c.txt", file_text: "c\n" }));
    expect(created.changedFiles).toEqual(["c.txt"]);
    // The editor's write happened after the last shell snapshot: the next shell call must not claim it.
    expect((await executeTool(env, bash("ls"))).changedFiles).toBeUndefined();

    expect((await executeTool(env, bash("rm a.txt && echo d > d.txt"))).changedFiles).toEqual([
      "a.txt",
      "d.txt",
    ]);
  });
});
