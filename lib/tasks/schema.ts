import { z } from "zod";
import { optionalFormNumber } from "@/lib/models/schema";
import { isStorableText, STORABLE_TEXT_MESSAGE } from "@/lib/storable-text";
import { dependsOnSchema } from "./dependencies";

// The same readable bounds as the agent form's, inside what the runs columns hold (maxCostUsd is
// numeric(12,4): below 1e8; maxSteps and maxDurationSec are integers). Empty means the agent's value.
const limits = {
  maxSteps: optionalFormNumber({ label: "Max steps", integer: true, min: 1, max: 10_000 }),
  maxCostUsd: optionalFormNumber({
    label: "Max cost",
    min: 0,
    max: 100_000,
    minMessage: "Max cost can't be below zero.",
    maxMessage: "Max cost can be at most $100,000.",
  }),
  maxDurationMin: optionalFormNumber({
    label: "Max duration",
    min: 1,
    max: 1440,
    minMessage: "Max duration must be at least 1 minute.",
    maxMessage: "Max duration can be at most 1,440 minutes (24 hours).",
  }),
};

export const createTaskSchema = z.object({
  title: z
    .string()
    .trim()
    .min(1, "Give the task a title.")
    .max(200, "Keep the title under 200 characters.")
    .refine(isStorableText, STORABLE_TEXT_MESSAGE),
  prompt: z
    .string()
    .trim()
    .min(1, "Describe what the agent should do.")
    .max(100_000)
    .refine(isStorableText, STORABLE_TEXT_MESSAGE),
  repoId: z.string().uuid("Choose a repository."),
  agentId: z.string().uuid("Choose an agent."),
  /** "Assign to several agents": the same task to these agents too, each its own run and branch. */
  alsoAgentIds: z
    .preprocess(
      (value) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]),
      z.array(z.string().uuid("Choose agents from the list.")).max(10, "At most 10 agents at once."),
    )
    .optional(),
  /** Empty means the repository's default branch; the service checks that any other one exists. */
  baseBranch: z
    .string()
    .trim()
    .max(200, "Keep the branch name under 200 characters.")
    .refine(
      (name) => name === "" || (/^(?!-)(?!.*\.\.)[^\s~^:?*[\\]+$/.test(name) && isStorableText(name)),
      "That isn't a branch name.",
    )
    .optional(),
  reviewerId: z
    .string()
    .uuid()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Tasks that must merge before this one's runs start (ids); checked by the service. */
  dependsOn: dependsOnSchema.optional(),
  ...limits,
});
export type CreateTaskInput = z.input<typeof createTaskSchema>;

/**
 * The API's extra rule for the budgets: a form's empty field arrives as "" and means the agent's own, but
 * an API client that sends "" (an unset template variable) made a mistake — null or leaving the field out
 * says "the agent's own" there.
 */
const notBlank = (label: string) =>
  z
    .unknown()
    .refine((value) => typeof value !== "string" || value.trim() !== "", {
      error: `${label} must be a number, or null for the agent's own.`,
    })
    .optional();
export const apiBudgetSchema = z.object({
  maxSteps: notBlank("Max steps"),
  maxCostUsd: notBlank("Max cost"),
  maxDurationMin: notBlank("Max duration"),
});
