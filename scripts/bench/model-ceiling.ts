// The model calls' own ceiling: N concurrent conversations of S steps through the engine's callModel (the
// real SDK, streaming) against the same fake process, with no database and no tools — each step's reply
// is answered at once with the tool result the engine would send. However fast the rest of the loop, a
// pass cannot take more steps per second than this on the same machine.
import { performance } from "node:perf_hooks";
import type Anthropic from "@anthropic-ai/sdk";
import { callModel } from "@/lib/engine/model-call";
import { TOOL_DEFINITIONS } from "@/lib/engine/tools/definitions";

export async function measureModelCeiling(options: {
  client: Anthropic;
  kind: "view" | "bash";
  concurrency: number;
  steps: number;
  toolOutput: string;
}): Promise<{ calls: number; seconds: number; callsPerSecond: number }> {
  let calls = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, i) => {
      const signal = new AbortController().signal;
      // A prompt the fake answers like a run's, under a marker of its own so no reply id is shared.
      const messages: Anthropic.MessageParam[] = [
        { role: "user", content: `BENCH-RUN ceiling${options.kind} ${i}: look at src/notes.txt.` },
      ];
      for (let step = 1; step <= options.steps; step++) {
        const { message } = await callModel({
          client: options.client,
          params: {
            model: "claude-haiku-4-5",
            max_tokens: 8192,
            system: [{ type: "text", text: "bench", cache_control: { type: "ephemeral" } }],
            tools: TOOL_DEFINITIONS,
            messages,
          },
          signal,
          onDelta: () => {},
          onRetry: async () => {},
        });
        calls += 1;
        const use = message.content.find((block) => block.type === "tool_use");
        if (!use) break;
        messages.push(
          { role: "assistant", content: message.content },
          {
            role: "user",
            content: [{ type: "tool_result", tool_use_id: use.id, content: options.toolOutput }],
          },
        );
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { calls, seconds, callsPerSecond: calls / seconds };
}
