// What the e2e fake model says, chosen by a marker in the run's first message: `[scenario:NAME]` or
// `[scenario:NAME:ARG]`. Stateless: the answer to a request depends only on how many assistant turns
// the conversation already holds (step 0 is the first model call of a run), so resumed runs and
// parallel runs all get consistent answers. Add a scenario: one entry in SCENARIOS.
import type { FakeStaticStep } from "@/lib/testing/fake-anthropic";

export interface ScenarioRequest {
  /** Assistant turns already in the conversation: 0 for the run's first model call. */
  step: number;
  arg?: string;
  /** The text of the last user turn (tool results included). */
  lastUserText: string;
  /** A reply that waits before its end until the spec releases KEY (fake-model.ts `releaseHold`). */
  hold: (key: string) => () => Promise<void>;
}

type Scenario = (request: ScenarioRequest) => FakeStaticStep;

const say = (text: string, eventDelayMs?: number): FakeStaticStep => ({
  kind: "message",
  content: [{ type: "text", text }],
  eventDelayMs,
  wordByWord: true,
});
const bash = (command: string, text?: string): FakeStaticStep => ({
  kind: "message",
  content: [
    ...(text ? [{ type: "text" as const, text }] : []),
    { type: "tool_use", name: "bash", input: { command } },
  ],
});
const view = (path: string, eventDelayMs?: number): FakeStaticStep => ({
  kind: "message",
  content: [{ type: "tool_use", name: "str_replace_based_edit_tool", input: { command: "view", path } }],
  eventDelayMs,
});
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

export const STREAMED_SENTENCE =
  "I read the repository from top to bottom, and this sentence arrives a few characters at a time " +
  "so that anyone watching the run page sees the words appear while the model is still writing them.";

export const STREAMED_THINKING =
  "The person wants an overview. I should read the README and the source tree before I answer them.";

export const SCENARIOS: Record<string, Scenario> = {
  /**
   * One paragraph streamed a word every 150 ms (about 6 s), then the run ends. With ARG: thinking, then
   * the paragraph, faster, and the reply holds before its end until ARG is released — the words are on
   * screen while the run still runs.
   */
  stream: ({ step, arg, hold }) => {
    if (step > 0) return say("Done.");
    if (!arg) return say(STREAMED_SENTENCE, 150);
    return {
      kind: "message",
      content: [
        { type: "thinking", thinking: STREAMED_THINKING, signature: "fake-signature" },
        { type: "text", text: STREAMED_SENTENCE },
      ],
      eventDelayMs: 20,
      wordByWord: true,
      hold: hold(arg),
    };
  },
  /** Runs ARG (default `rm -rf build`) in bash — give the agent a matching risky pattern — then ends. */
  risky: ({ step, arg }) =>
    step === 0 ? bash(arg || "rm -rf build", "I'll clean the build output first.") : say("Cleaned up."),
  /** A long command (ARG seconds, default 30) to cancel. */
  sleep: ({ step, arg }) => (step === 0 ? bash(`sleep ${Number(arg) || 30}`) : say("Slept.")),
  /**
   * ARG = "N" or "N@KEY": N (default 6) slow editor views, one per step, then a summary. With KEY, the
   * third step's reply holds until KEY is released. For reload-mid-run tests.
   */
  steps: ({ step, arg = "", hold }) => {
    const [count, key] = arg.split("@");
    const n = Number(count) || 6;
    if (step >= n) return say(`Looked around ${n} times.`);
    return key && step === 2 ? { ...view(".", 120), hold: hold(key) } : view(".", 120);
  },
  /** Writes ARG = "path=content" (one line) with bash, then ends with a summary. */
  write: ({ step, arg = "NOTES.md=written by the agent" }) => {
    const [file = "NOTES.md", ...rest] = arg.split("=");
    const content = rest.join("=");
    return step === 0
      ? bash(
          `mkdir -p "$(dirname ${shellQuote(file)})" && printf '%s\\n' ${shellQuote(content)} > ${shellQuote(file)}`,
        )
      : say(`Wrote ${file}.`);
  },
  /** Writes generated.txt with ARG numbered lines (default 12,000): a big diff for the review page. */
  lines: ({ step, arg }) =>
    step === 0
      ? bash(`seq -f 'generated line %.0f' 1 ${Number(arg) || 12000} > generated.txt`)
      : say("Wrote generated.txt."),
  /**
   * Reports with Foreman's finish_task tool at once: ARG = done | blocked | needs_input (default), with a
   * summary and, for needs_input, a question.
   */
  finish: ({ step, arg = "needs_input" }) =>
    step === 0
      ? {
          kind: "message",
          content: [
            {
              type: "tool_use",
              name: "finish_task",
              input: {
                outcome: arg,
                summary: arg === "blocked" ? "The task needs a service I can't reach." : "I looked around.",
                ...(arg === "needs_input"
                  ? { question: "Should divide by zero throw or return Infinity?" }
                  : {}),
              },
            },
          ],
        }
      : say("The run should have ended at finish_task."),
  /** Says what it was asked (the last user turn), so tests can read review feedback in the timeline. */
  echo: ({ lastUserText }) => say(`You asked: ${lastUserText.slice(0, 2000)}`),
};

export const SCENARIO_MARKER = /\[scenario:([a-z0-9-]+)(?::([^\]]*))?\]/i;
