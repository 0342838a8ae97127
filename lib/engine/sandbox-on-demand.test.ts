// A run's sandbox is made when its agent first asks for a command (the model's reply begins a bash call), not
// when the run starts: a run that only reads and edits files starts no sandbox process at all.
import { afterEach, expect, it } from "vitest";
import { spawnObservers } from "@/lib/spawner/spawn";
import { type EngineSetup, engineSetup } from "@/lib/testing/engine-harness";
import { fakeText, fakeToolUse } from "@/lib/testing/fake-anthropic";

let h: EngineSetup | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

/** The sandboxes started while `body` runs (each waits for its command on --block-fd). */
async function sandboxesStarted(body: () => Promise<unknown>): Promise<number> {
  let started = 0;
  const observe = (_file: string, args: string[]) => {
    if (args.includes("--block-fd")) started++;
  };
  spawnObservers.add(observe);
  try {
    await body();
  } finally {
    spawnObservers.delete(observe);
  }
  return started;
}

it("starts no sandbox for a run that only uses the editor, and one per command (plus the next) for bash", async () => {
  h = await engineSetup({ testCommand: "" });
  const viewer = h;
  viewer.fake.enqueue(
    fakeToolUse("str_replace_based_edit_tool", { command: "view", path: "src/add.js" }),
    fakeText("It subtracts."),
  );
  expect(await sandboxesStarted(() => viewer.execute())).toBe(0);
  const viewed = await viewer.runRow();
  expect(viewed).toMatchObject({ status: "succeeded" });
  // The sandbox is still recorded (and confines every command the run would have run).
  expect(viewed.sandbox?.mode).toBe("bwrap");
  await viewer.fake.close();

  h = await engineSetup({ testCommand: "" });
  const runner = h;
  runner.fake.enqueue(fakeToolUse("bash", { command: "echo from-the-sandbox; id -u" }), fakeText("Ran it."));
  // The command's sandbox, made when the reply began the call, then the next one made after the command.
  expect(await sandboxesStarted(() => runner.execute())).toBe(2);
  const result = (await runner.events()).find((event) => event.type === "tool_result");
  expect((result?.payload as { content?: string } | undefined)?.content).toMatch(/from-the-sandbox\n\d+/);
});
