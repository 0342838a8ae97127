// The tools the agent is offered: Anthropic's own schema-less tool types, so the model uses the
// bash and text-editor interfaces it was trained on (their inputs are handled by ./bash and ./editor),
// and Foreman's own finish_task, with which the agent reports how its work ended (./finish-task).
import type {
  Tool,
  ToolBash20250124,
  ToolTextEditor20250728,
  ToolUnion,
} from "@anthropic-ai/sdk/resources/messages";

export const BASH_TOOL_NAME = "bash";
export const EDITOR_TOOL_NAME = "str_replace_based_edit_tool";

export const BASH_TOOL: ToolBash20250124 = { type: "bash_20250124", name: BASH_TOOL_NAME };
export const EDITOR_TOOL: ToolTextEditor20250728 = { type: "text_editor_20250728", name: EDITOR_TOOL_NAME };

export const FINISH_TASK_TOOL_NAME = "finish_task";

export const FINISH_TASK_TOOL: Tool = {
  name: FINISH_TASK_TOOL_NAME,
  description:
    "Call this once, as your last action, to end your work on the task and say how it ended. " +
    "outcome: done (the task is done: your changes are ready for review), blocked (you cannot proceed: say why " +
    "in the summary), needs_input (you need a person's answer to go on: ask it in question). " +
    "The run ends when this is called; nothing after it runs.",
  input_schema: {
    type: "object",
    properties: {
      outcome: { type: "string", enum: ["done", "blocked", "needs_input"] },
      summary: {
        type: "string",
        description: "What you changed and how you verified it; or why you are blocked.",
      },
      question: { type: "string", description: "With needs_input: the question a person should answer." },
    },
    required: ["outcome", "summary"],
  },
};

export const RANK_ATTEMPTS_TOOL_NAME = "rank_attempts";

export const RANK_ATTEMPTS_TOOL: Tool = {
  name: RANK_ATTEMPTS_TOOL_NAME,
  description:
    "Call this once, as your last action, with your verdict: every attempt ranked exactly once, best first, " +
    "each with the reasons for its place (correctness, tests, scope, quality, risk), and a summary of your " +
    "verdict. The run ends when this is accepted; nothing after it runs.",
  input_schema: {
    type: "object",
    properties: {
      ranking: {
        type: "array",
        description: "Every attempt, best first.",
        items: {
          type: "object",
          properties: {
            attempt: { type: "integer", description: "The attempt's number (Attempt 1 is 1)." },
            reasons: { type: "string", description: "Why it has this place, citing what you saw." },
          },
          required: ["attempt", "reasons"],
        },
      },
      summary: { type: "string", description: "Your verdict in a few sentences." },
    },
    required: ["ranking", "summary"],
  },
};

/** The `tools` param of every agent request. */
export const TOOL_DEFINITIONS: ToolUnion[] = [BASH_TOOL, EDITOR_TOOL, FINISH_TASK_TOOL];
/** A judge's tools: it reads with bash (in a read-only sandbox) and answers with rank_attempts. */
export const JUDGE_TOOL_DEFINITIONS: ToolUnion[] = [BASH_TOOL, RANK_ATTEMPTS_TOOL];

/** Input the model sends for a bash tool_use. */
export interface BashToolInput {
  command?: string;
  /** Asks for a fresh shell. Every command already runs in a fresh `bash -c`, so this is a no-op. */
  restart?: boolean;
}

/** Input the model sends for a str_replace_based_edit_tool tool_use (text_editor_20250728). */
export interface EditorToolInput {
  command: "view" | "create" | "str_replace" | "insert";
  path: string;
  view_range?: [number, number];
  file_text?: string;
  old_str?: string;
  new_str?: string;
  insert_line?: number;
  /** The 20250728 name for the inserted text. */
  insert_text?: string;
  /** Older editor versions called it new_str; accepted too. */
}
