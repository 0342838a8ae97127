import { z } from "zod";
import { MERGE_STRATEGIES } from "@/db/schema";

/** Empty form fields arrive as "": an optional command left empty is stored as null. */
const optionalCommand = (label: string) =>
  z
    .string()
    .trim()
    .max(2000, `${label} must be at most 2,000 characters.`)
    .optional()
    .nullable()
    .transform((value) => value || null);

export const repoInputSchema = z.object({
  name: z
    .string({ error: "Enter a name." })
    .trim()
    .min(1, "Enter a name.")
    .max(80, "Name must be at most 80 characters."),
  source: z
    .string({ error: "Enter a local path or a clone URL." })
    .trim()
    .min(1, "Enter a local path or a clone URL.")
    .max(2000, "The source must be at most 2,000 characters."),
  /** Empty means "the source's HEAD branch". */
  defaultBranch: z
    .string()
    .trim()
    .max(255, "Branch names are at most 255 characters.")
    .optional()
    .nullable()
    .transform((value) => value ?? ""),
  setupCommand: optionalCommand("The setup command"),
  testCommand: optionalCommand("The test command"),
  mergeStrategy: z.preprocess(
    (value) => (value === "" || value === null ? undefined : value),
    z.enum(MERGE_STRATEGIES, { error: "Choose merge or squash." }).default("merge"),
  ),
});
export type RepoInput = z.input<typeof repoInputSchema>;

export const repoIdSchema = z.object({ id: z.string().min(1) });
export const updateRepoSchema = repoInputSchema.extend(repoIdSchema.shape);
