// What the offline demo model says next, decided from the conversation it is sent — like a real model,
// it only knows what is in the request. It fixes the demo repository's failing test with real tools;
// for any other task it looks around and says honestly that it is a demo.
import type { ScriptedMessage } from "@/lib/engine/messages-wire";

interface RequestMessage {
  role: string;
  content: string | { type: string; text?: string; content?: unknown; is_error?: boolean }[];
}

export const DEMO_MODEL = "foreman-demo";
export const DEMO_TASK_PROMPT = "Fix the failing test";

function texts(message: RequestMessage | undefined): string {
  if (!message) return "";
  if (typeof message.content === "string") return message.content;
  return message.content
    .map((block) =>
      block.type === "text" ? (block.text ?? "") : typeof block.content === "string" ? block.content : "",
    )
    .join("\n");
}

const bash = (command: string) => ({ type: "tool_use" as const, name: "bash", input: { command } });
const edit = (input: Record<string, unknown>) => ({
  type: "tool_use" as const,
  name: "str_replace_based_edit_tool",
  input,
});
const say = (text: string) => ({ type: "text" as const, text });

function fixScript(step: number, lastResult: string): ScriptedMessage {
  switch (step) {
    case 0:
      return {
        content: [
          say("I'll look at how the project is laid out and how its tests run."),
          bash("ls -R src test && cat package.json"),
        ],
      };
    case 1:
      return { content: [say("Let me run the tests to see what fails."), bash("node --test")] };
    case 2:
      return {
        content: [
          say("`add` gives the wrong result. Let me read it."),
          edit({ command: "view", path: "src/math.js" }),
        ],
      };
    case 3:
      return {
        content: [
          say("`add` subtracts instead of adding. Fixing it."),
          edit({
            command: "str_replace",
            path: "src/math.js",
            old_str: "return a - b;",
            new_str: "return a + b;",
          }),
        ],
      };
    case 4:
      return { content: [say("Now the tests again."), bash("node --test")] };
    default: {
      const passed = /# fail 0/.test(lastResult);
      return {
        content: [
          say(
            passed
              ? "Fixed the failing test: `add` in `src/math.js` subtracted its arguments (`a - b`); it now returns `a + b`. `node --test` passes."
              : "I changed `add` in `src/math.js` to return `a + b`, but the tests still don't pass — this needs a closer look from a person.",
          ),
        ],
      };
    }
  }
}

function exploreScript(step: number, lastResult: string): ScriptedMessage {
  if (step === 0) {
    return { content: [say("I'll take a look at the repository."), bash("git log --oneline -5 && ls")] };
  }
  const listing = lastResult.trim().split("\n").slice(0, 12).join("\n");
  return {
    content: [
      say(
        "I'm Foreman's offline demo model, so I can't really work on this task: the only job I know is fixing the demo repository's failing test " +
          `(assign "${DEMO_TASK_PROMPT}" to see it). Here is what I found in the repository:\n\n\`\`\`\n${listing}\n\`\`\`\n\n` +
          "Set ANTHROPIC_API_KEY to give this task to a real model.",
      ),
    ],
  };
}

/** The next reply for a Messages API request body. */
export function demoReply(body: { messages?: RequestMessage[] }): ScriptedMessage {
  const messages = body.messages ?? [];
  const task = texts(messages[0]);
  const step = messages.filter((m) => m.role === "assistant").length;
  const lastResult = texts(messages.at(-1));
  // A rule reminder or a person's message after the work is done: the model simply sums up again.
  return /fail(ing)?\s+test/i.test(task) ? fixScript(step, lastResult) : exploreScript(step, lastResult);
}
