import { z } from "zod";

const optionalNumber = (schema: z.ZodNumber) =>
  z.preprocess(
    (value) => (value === "" || value === null || value === undefined ? undefined : value),
    z.coerce.number().pipe(schema).optional(),
  );

export const createTaskSchema = z.object({
  title: z.string().trim().min(1, "Give the task a title.").max(200, "Keep the title under 200 characters."),
  prompt: z.string().trim().min(1, "Describe what the agent should do.").max(100_000),
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
      (name) => name === "" || /^(?!-)(?!.*\.\.)[^\s~^:?*[\\]+$/.test(name),
      "That isn't a branch name.",
    )
    .optional(),
  reviewerId: z
    .string()
    .uuid()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  maxSteps: optionalNumber(z.number().int("Max steps must be a whole number.").min(1).max(10_000)),
  maxCostUsd: optionalNumber(z.number().min(0, "Max cost can't be below zero.")),
  maxDurationMin: optionalNumber(z.number().min(1).max(1440)),
});
export type CreateTaskInput = z.input<typeof createTaskSchema>;
