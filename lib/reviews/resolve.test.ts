// "Ask the agent to resolve" on the real engine: the merge conflicts, the resolution run follows its
// prompt (merging origin/<base> into the branch in its worktree), fixes the file, and the next merge lands.
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { executeRun } from "@/lib/engine/execute-run";
import { claimRun } from "@/lib/queue/claim";
import { type EngineSetup, engineSetup } from "@/lib/testing/engine-harness";
import { type FakeRequest, fakeText, fakeToolUse } from "@/lib/testing/fake-anthropic";
import { teamMember } from "@/lib/testing/fixtures";
import { mergeTask } from "./merge";
import { approveTask, askAgentToResolve } from "./service";

let h: EngineSetup | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

function firstText(request: FakeRequest): string {
  const content = request.body.messages[0].content;
  return typeof content === "string"
    ? content
    : content.map((b: { text?: string }) => b.text ?? "").join("\n");
}

describe("asking the agent to resolve a conflict", () => {
  it("merges the base into the branch as its prompt says, and the task then merges cleanly", async () => {
    h = await engineSetup({ testCommand: "true" });
    h.fake.enqueue(
      fakeToolUse("str_replace_based_edit_tool", {
        command: "str_replace",
        path: "src/add.js",
        old_str: "a - b",
        new_str: "a + b",
      }),
      fakeText("Fixed add."),
    );
    await h.execute();
    // Meanwhile someone changes the same line on main.
    fs.writeFileSync(path.join(h.source, "src/add.js"), "export const add = (a, b) => b + a; // main\n");
    h.sourceGit("-c", "user.name=p", "-c", "user.email=p@x", "commit", "-q", "-am", "main's own fix");
    const mainBefore = h.sourceGit("rev-parse", "main");

    const reviewer = await teamMember("developer");
    await approveTask(reviewer, h.task.id);
    expect(await mergeTask(reviewer, h.task.id)).toMatchObject({ status: "conflict", files: ["src/add.js"] });
    expect(h.sourceGit("rev-parse", "main")).toBe(mainBefore);

    const { run } = await askAgentToResolve(reviewer, h.task.id);
    // The model runs the git command its prompt gives it, then writes the resolved file.
    h.fake.enqueue(
      (request) => {
        const command = firstText(request)
          .split("\n")
          .map((line) => line.trim())
          .find((line) => line.startsWith("git "));
        return fakeToolUse("bash", { command: `${command}; git status --short` });
      },
      fakeToolUse("bash", {
        command: "printf 'export const add = (a, b) => a + b; // resolved\\n' > src/add.js",
      }),
      fakeText("Merged main and kept a + b."),
    );
    const claimed = await claimRun("worker-resolve");
    expect(claimed?.id).toBe(run.id);
    if (!claimed) throw new Error("no run claimed");
    await executeRun(claimed, { workerId: "worker-resolve", client: h.client });
    const mergeOutput = JSON.stringify(h.fake.requests.at(-2)?.body.messages.at(-1));
    expect(mergeOutput).toContain("src/add.js"); // git status showed the conflicted file
    expect((await h.taskRow())?.status).toBe("in_review");
    // The branch now contains main: its history has main's commit.
    expect(h.sourceGit("merge-base", "--is-ancestor", mainBefore, h.run.branch)).toBe("");

    await approveTask(reviewer, h.task.id);
    expect((await mergeTask(reviewer, h.task.id)).status).toBe("merged");
    expect(h.sourceGit("show", "main:src/add.js")).toBe("export const add = (a, b) => a + b; // resolved");
  }, 120_000);
});
