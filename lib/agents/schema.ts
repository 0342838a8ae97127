import { z } from "zod";
import type { SandboxLimitOverrides } from "@/db/schema";
import { formNumber, modelNameSchema, optionalFormNumber } from "@/lib/models/schema";
import { DEFAULT_AGENT_CONCURRENCY, MAX_CONCURRENCY_CAP } from "@/lib/queue/caps";
import { SANDBOX_LIMIT_BOUNDS } from "@/lib/sandbox/limits";
import { isStorableText, STORABLE_TEXT_MESSAGE } from "@/lib/storable-text";

/** What a new agent starts with: commands that should wait for a human, and one working habit. */
export const DEFAULT_RISKY_PATTERNS = [
  String.raw`\brm\s+-rf\b`,
  String.raw`\bgit\s+push\b`,
  String.raw`\bsudo\b`,
  String.raw`curl[^|]*\|\s*(ba)?sh`,
  String.raw`wget[^|]*\|\s*(ba)?sh`,
];
export const DEFAULT_RULES = ["Run the test command before finishing."];

export const AGENT_DEFAULTS = {
  maxSteps: 50,
  maxCostUsd: 5,
  maxDurationMinutes: 30,
  bashTimeoutSec: 120,
  maxConcurrentRuns: DEFAULT_AGENT_CONCURRENCY,
} as const;

const MAX_LINES = 100;

/** A textarea (one item a line) or, from API clients, an array; blank lines dropped. */
const lines = (label: string, maxLength: number) =>
  z
    .union([z.string(), z.array(z.string())], { error: `${label} must be text, one per line.` })
    .nullish()
    .transform((value, ctx) => {
      const all = Array.isArray(value) ? value : (value ?? "").split(/\r?\n/);
      const kept = all.map((line) => line.trim()).filter(Boolean);
      if (kept.length > MAX_LINES) {
        ctx.addIssue({ code: "custom", message: `${label}: at most ${MAX_LINES} lines.` });
      }
      const unstorable = kept.findIndex((line) => !isStorableText(line));
      if (unstorable >= 0) {
        ctx.addIssue({
          code: "custom",
          message: `${label}, line ${unstorable + 1}: ${STORABLE_TEXT_MESSAGE}`,
        });
      }
      const long = kept.findIndex((line) => line.length > maxLength);
      if (long >= 0) {
        ctx.addIssue({
          code: "custom",
          message: `${label}: line ${long + 1} is longer than ${maxLength} characters.`,
        });
      }
      return kept;
    });

/** Each pattern must compile, so the engine never meets a broken one mid-run. */
const riskyPatterns = lines("Risky command patterns", 500).superRefine((patterns, ctx) => {
  patterns.forEach((pattern, index) => {
    try {
      new RegExp(pattern);
    } catch (error) {
      // V8 says "Invalid regular expression: /(a/: Unterminated group"; keep only the reason.
      const reason =
        error instanceof Error
          ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "")
          : "";
      ctx.addIssue({
        code: "custom",
        message: `Line ${index + 1} isn't a valid regular expression: ${pattern}${reason ? ` (${reason.toLowerCase()})` : ""}`,
      });
    }
  });
});

type SandboxLimitKey = keyof SandboxLimitOverrides;

/** How the form and the error messages name each overridable sandbox limit, in the form's order. */
export const SANDBOX_LIMIT_FIELDS: { key: SandboxLimitKey; label: string; unit: string }[] = [
  { key: "memoryMb", label: "Memory per process", unit: "MB" },
  { key: "maxProcesses", label: "Processes", unit: "" },
  { key: "cpuSeconds", label: "CPU time per process", unit: "seconds" },
  { key: "outputKb", label: "Output kept per command", unit: "KB" },
];

const grouped = new Intl.NumberFormat("en-US");

const limitNumber = ({ key, label, unit }: (typeof SANDBOX_LIMIT_FIELDS)[number]) => {
  const { min, max } = SANDBOX_LIMIT_BOUNDS[key];
  const range = `${label} must be between ${grouped.format(min)} and ${grouped.format(max)}${unit ? ` ${unit}` : ""}.`;
  return optionalFormNumber({ label, integer: true, min, max, minMessage: range, maxMessage: range });
};

/**
 * Per-agent overrides of the sandbox's per-command limits. A blank, null or absent value means the default,
 * and only the limits that were set are kept, so a later change of a default reaches every agent that
 * didn't override it.
 */
const sandboxLimits = z
  .strictObject(
    Object.fromEntries(SANDBOX_LIMIT_FIELDS.map((field) => [field.key, limitNumber(field)])) as Record<
      SandboxLimitKey,
      ReturnType<typeof limitNumber>
    >,
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `Sandbox limits take only ${SANDBOX_LIMIT_FIELDS.map((f) => f.key).join(", ")}.`
          : "Sandbox limits must be an object of numbers.",
    },
  )
  .nullish()
  .transform((value): SandboxLimitOverrides => {
    const kept: SandboxLimitOverrides = {};
    for (const { key } of SANDBOX_LIMIT_FIELDS) {
      const n = value?.[key];
      if (typeof n === "number") kept[key] = n;
    }
    return kept;
  });

/** The fields of an agent profile, as the form sends them (strings) or an API client (numbers). */
export const agentSchema = z.object({
  name: z
    .string({ error: "Enter a name." })
    .trim()
    .min(1, "Enter a name.")
    .max(80, "Names are at most 80 characters.")
    .refine(isStorableText, STORABLE_TEXT_MESSAGE),
  model: z.string({ error: "Choose a model." }).trim().min(1, "Choose a model.").pipe(modelNameSchema),
  systemPrompt: z
    .string()
    .max(100_000, "The system prompt is at most 100,000 characters.")
    .refine(isStorableText, STORABLE_TEXT_MESSAGE)
    .nullish()
    .transform((value) => (value ?? "").replace(/\r\n/g, "\n").trim()),
  maxSteps: formNumber({ label: "Max steps", integer: true, min: 1, max: 10_000 }),
  maxCostUsd: formNumber({
    label: "Max cost",
    min: 0,
    max: 100_000,
    minMessage: "Max cost can't be below zero.",
    maxMessage: "Max cost can be at most $100,000.",
  }),
  maxDurationMinutes: formNumber({
    label: "Max duration",
    integer: true,
    min: 1,
    max: 1440,
    minMessage: "Max duration must be at least 1 minute.",
    maxMessage: "Max duration can be at most 1,440 minutes (24 hours).",
  }),
  bashTimeoutSec: formNumber({
    label: "Bash timeout",
    integer: true,
    min: 1,
    max: 3600,
    empty: AGENT_DEFAULTS.bashTimeoutSec,
    minMessage: "Bash timeout must be at least 1 second.",
    maxMessage: "Bash timeout can be at most 3,600 seconds (1 hour).",
  }),
  thinkingBudget: formNumber({
    label: "Thinking budget",
    integer: true,
    min: 1024,
    max: 200_000,
    empty: null,
    minMessage: "Thinking budget must be at least 1,024 tokens, or empty for the model's default.",
  }),
  /** Left out (an API client that predates it) or empty: the agent keeps its cap, a new one the default. */
  maxConcurrentRuns: optionalFormNumber({
    label: "Runs at once",
    integer: true,
    min: 1,
    max: MAX_CONCURRENCY_CAP,
    minMessage: "Runs at once must be at least 1.",
    maxMessage: `Runs at once can be at most ${MAX_CONCURRENCY_CAP.toLocaleString("en-US")}.`,
  }),
  riskyPatterns,
  rules: lines("Rules", 1000),
  sandboxLimits,
});
export type AgentInput = z.input<typeof agentSchema>;
export type AgentValues = z.output<typeof agentSchema>;

export const agentIdSchema = z.object({ id: z.string().trim().min(1, "Missing agent id.") });
export const updateAgentSchema = agentSchema.extend(agentIdSchema.shape);

/** The form's name for a sandbox limit's input: FormData is flat, so the object travels as dotted keys. */
export const sandboxLimitInputName = (key: SandboxLimitKey) => `sandboxLimits.${key}`;

/** The form's flat `sandboxLimits.<key>` inputs folded into one object; a blank input is left out. */
function foldSandboxLimits(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  const { ...rest } = raw as Record<string, unknown>;
  const limits: Record<string, unknown> = {};
  for (const { key } of SANDBOX_LIMIT_FIELDS) {
    const name = sandboxLimitInputName(key);
    const value = rest[name];
    delete rest[name];
    if (typeof value === "string" ? value.trim() !== "" : value !== undefined) limits[key] = value;
  }
  return { ...rest, sandboxLimits: limits };
}

/** What the agent form's actions parse: the FormData of the form, as a plain object. */
export const agentFormSchema = z.preprocess(foldSandboxLimits, agentSchema);
export const updateAgentFormSchema = z.preprocess(foldSandboxLimits, updateAgentSchema);
