// The tools the agent is offered: Anthropic's own schema-less tool types, so the model uses the
// bash and text-editor interfaces it was trained on. Their inputs are handled by ./bash and ./editor.
import type {
  ToolBash20250124,
  ToolTextEditor20250728,
  ToolUnion,
} from "@anthropic-ai/sdk/resources/messages";

export const BASH_TOOL_NAME = "bash";
export const EDITOR_TOOL_NAME = "str_replace_based_edit_tool";

export const BASH_TOOL: ToolBash20250124 = { type: "bash_20250124", name: BASH_TOOL_NAME };
export const EDITOR_TOOL: ToolTextEditor20250728 = { type: "text_editor_20250728", name: EDITOR_TOOL_NAME };

/** The `tools` param of every agent request. */
export const TOOL_DEFINITIONS: ToolUnion[] = [BASH_TOOL, EDITOR_TOOL];

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
