// The e2e app's model: a fake Messages API on loopback, started beside `next start` (server.mjs), so the
// real SDK in the app streams from it over HTTP. A run whose first message carries `[scenario:NAME]`
// plays that scenario (scenarios.ts); every other request goes to the offline demo model's script, so
// the demo workspace behaves exactly as it does without a key.
//   GET /__requests → [{marker, step, body}] every model request so far, for assertions.
//   POST /__release/KEY → lets a held reply (a scenario's `hold`) finish.
import { demoFetch } from "@/lib/demo/model";
import { type FakeRequest, startFakeAnthropic } from "@/lib/testing/fake-anthropic";
import { holdUntilReleased, release } from "./holds";
import { SCENARIO_MARKER, SCENARIOS } from "./scenarios";

interface WireMessage {
  role: string;
  content: string | { type: string; text?: string; content?: unknown }[];
}

function textOf(message: WireMessage | undefined): string {
  if (!message) return "";
  if (typeof message.content === "string") return message.content;
  return message.content
    .map((block) => {
      if (block.type === "text") return block.text ?? "";
      if (typeof block.content === "string") return block.content;
      if (Array.isArray(block.content))
        return (block.content as { text?: string }[]).map((part) => part.text ?? "").join("\n");
      return "";
    })
    .join("\n");
}

const port = Number(process.env.E2E_MODEL_PORT ?? 3211);
const recorded: { marker: string | null; step: number; body: unknown }[] = [];

const fake = await startFakeAnthropic({
  port,
  records: () => recorded,
  control: (request) => {
    const key = /^\/__release\/(.+)$/.exec(request.path)?.[1];
    if (request.method !== "POST" || !key) return undefined;
    release(decodeURIComponent(key));
    return { released: key };
  },
  route: (request: FakeRequest) => {
    const messages: WireMessage[] = request.body?.messages ?? [];
    const first = textOf(messages.find((m) => m.role === "user"));
    const match = SCENARIO_MARKER.exec(first);
    const step = messages.filter((m) => m.role === "assistant").length;
    recorded.push({ marker: match ? match[0] : null, step, body: request.body });
    const scenario = match ? SCENARIOS[match[1]?.toLowerCase() ?? ""] : undefined;
    // A judge's prompt quotes the task's (with its marker): the demo script plays the judge.
    const judging = (request.body?.tools ?? []).some(
      (tool: { name?: string }) => tool.name === "rank_attempts",
    );
    if (!match || !scenario || judging) {
      return demoFetch(`http://fake${request.path}`, { method: "POST", body: JSON.stringify(request.body) });
    }
    const lastUser = [...messages].reverse().find((m) => m.role === "user");
    return scenario({ step, arg: match[2], lastUserText: textOf(lastUser), hold: holdUntilReleased });
  },
});

console.log(`[fake-model] Messages API and GET /__requests on ${fake.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void fake.close().then(() => process.exit(0)));
}
