// The bench's model: the fake Messages API in a process of its own, as the real API is on another
// machine — so its CPU is not counted against the engine's event loop. Prints {"url": …} on stdout.
//
// Steps 1..S-1 call the pass's tool, step S ends the turn. The pass and run come from the task prompt
// (BENCH-RUN <pass> <i>); the answer depends only on the request, so any number of runs can share it.
import { fakeText, fakeToolUse, startFakeAnthropic } from "@/lib/testing/fake-anthropic";

const S = Number(process.env.BENCH_STEPS ?? 20);

const fake = await startFakeAnthropic({
  route: (request) => {
    const messages: { role: string }[] = request.body?.messages ?? [];
    const marker = /BENCH-RUN (\w+) (\d+)/.exec(JSON.stringify(messages[0] ?? ""));
    const kind = marker?.[1] ?? "view";
    const step = messages.filter((m) => m.role === "assistant").length + 1;
    const id = `msg_bench_${kind}_${marker?.[2] ?? "x"}_${step}`;
    if (step >= S) return fakeText(`Done: looked at the notes ${S - 1} times.`, { id });
    const bash = kind.endsWith("bash");
    const input = bash ? { command: `echo hi ${step}` } : { command: "view", path: "src/notes.txt" };
    return fakeToolUse(bash ? "bash" : "str_replace_based_edit_tool", input, {
      id,
      toolUseId: `toolu_bench_${step}`,
    });
  },
});
// Request bodies are not kept: the fake's record would grow with every call of every run.
setInterval(() => {
  fake.requests.length = 0;
}, 1000).unref();
process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);
process.on("SIGTERM", () => void fake.close().then(() => process.exit(0)));
