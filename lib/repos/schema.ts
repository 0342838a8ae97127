import { z } from "zod";
import { MERGE_STRATEGIES, NETWORK_POLICIES } from "@/db/schema";
import { isStorableText, STORABLE_TEXT_MESSAGE } from "@/lib/storable-text";
import { allowedHostsSchema } from "./hosts";

/** Empty select values arrive as "" from forms and null from some API clients: both mean "not given". */
const emptyToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

const command = (label: string) =>
  z
    .string()
    .trim()
    .max(2000, `${label} must be at most 2,000 characters.`)
    .refine(isStorableText, STORABLE_TEXT_MESSAGE)
    .nullable()
    .optional();

/**
 * Every field of a repository, each optional: absent (undefined) means "not given". The create and update
 * schemas below settle what "not given" means for each.
 */
const repoFields = {
  name: z
    .string({ error: "Enter a name." })
    .trim()
    .min(1, "Enter a name.")
    .max(80, "Name must be at most 80 characters.")
    .refine(isStorableText, STORABLE_TEXT_MESSAGE)
    .optional(),
  source: z
    .string({ error: "Enter a local path or a clone URL." })
    .trim()
    .min(1, "Enter a local path or a clone URL.")
    .max(2000, "The source must be at most 2,000 characters.")
    .refine(isStorableText, STORABLE_TEXT_MESSAGE)
    .optional(),
  /** Empty means "the source's HEAD branch". */
  defaultBranch: z
    .string()
    .trim()
    .max(255, "Branch names are at most 255 characters.")
    .refine(isStorableText, STORABLE_TEXT_MESSAGE)
    .nullable()
    .optional(),
  setupCommand: command("The setup command"),
  testCommand: command("The test command"),
  mergeStrategy: z.preprocess(
    emptyToUndefined,
    z.enum(MERGE_STRATEGIES, { error: "Choose merge or squash." }).optional(),
  ),
  /** What a run's sandbox may reach; only admins may change it (the service checks). */
  network: z.preprocess(
    emptyToUndefined,
    z.enum(NETWORK_POLICIES, { error: 'Network must be "none", "allowlist" or "open".' }).optional(),
  ),
  allowedHosts: allowedHostsSchema.optional(),
};

type Fields = z.output<z.ZodObject<typeof repoFields>>;

/** A given value as stored: "" branch for the HEAD branch, null for an empty command; undefined stays. */
function settle(fields: Fields) {
  const given = <T>(value: T | undefined, to: (value: T) => unknown) =>
    value === undefined ? undefined : to(value);
  return {
    name: fields.name,
    source: fields.source,
    defaultBranch: given(fields.defaultBranch, (b) => b ?? "") as string | undefined,
    setupCommand: given(fields.setupCommand, (c) => c || null) as string | null | undefined,
    testCommand: given(fields.testCommand, (c) => c || null) as string | null | undefined,
    mergeStrategy: fields.mergeStrategy,
    network: fields.network,
    allowedHosts: fields.allowedHosts,
  };
}

const required = {
  name: repoFields.name.unwrap(),
  source: repoFields.source.unwrap(),
};

/** A new repository (and the settings form, which always sends every field it shows). */
export const repoInputSchema = z.object({ ...repoFields, ...required }).transform((fields) => {
  const s = settle(fields);
  return {
    ...s,
    name: fields.name,
    source: fields.source,
    defaultBranch: s.defaultBranch ?? "",
    setupCommand: s.setupCommand ?? null,
    testCommand: s.testCommand ?? null,
    mergeStrategy: s.mergeStrategy ?? "merge",
  };
});
export type RepoInput = z.input<typeof repoInputSchema>;

/** A change to a repository: a field left out keeps its value (PATCH). */
export const repoPatchSchema = z.object(repoFields).transform(settle);
export type RepoPatch = z.input<typeof repoPatchSchema>;

export const repoIdSchema = z.object({ id: z.string().min(1) });
export const updateRepoSchema = z
  .object({ ...repoFields, ...required, ...repoIdSchema.shape })
  .transform(({ id, ...fields }) => ({ id, ...settle(fields) }));
