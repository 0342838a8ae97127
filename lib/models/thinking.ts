// How a model takes extended thinking. Two request shapes exist (SDK: ThinkingConfigParam):
//   budget:   thinking: { type: "enabled", budget_tokens }  — Claude 4.5 and earlier think up to a budget.
//   adaptive: thinking: { type: "adaptive" }                — the model decides how much to think.
// Per the docs (platform.claude.com build-with-claude/thinking, the Claude 5 migration guides, checked
// 2026-11-27): Opus 4.7/4.8, Mythos Preview and every Claude 5 model (Opus, Sonnet, Haiku, Fable, Mythos
// 5.x) reject the budget shape with a 400; Opus 4.6 and Sonnet 4.6 take both, with the budget shape
// deprecated (the SDK warns on it for claude-opus-4-6); Haiku 4.5 and older know only the budget shape.

export type ThinkingStyle = "budget" | "adaptive";

const FAMILY_VERSION = /claude-(opus|sonnet|haiku|fable|mythos)-(\d{1,2})(?:-(\d{1,2}))?(?!\d)/;

/**
 * The shape a model takes. Ids are matched anywhere in the name, so platform ids such as
 * `anthropic.claude-opus-4-6-v1` count too; names we cannot read (a custom model, `claude-3-7-sonnet-…`)
 * keep the budget shape, which is what every agent sent before.
 */
export function thinkingStyle(model: string): ThinkingStyle {
  if (/claude-mythos-preview/.test(model)) return "adaptive";
  const match = FAMILY_VERSION.exec(model);
  if (!match) return "budget";
  const major = Number(match[2]);
  // A trailing 8-digit snapshot date is not a minor version (the lookahead stops at two digits).
  const minor = match[3] === undefined ? 0 : Number(match[3]);
  return major > 4 || (major === 4 && minor >= 6) ? "adaptive" : "budget";
}
