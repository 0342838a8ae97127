"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/actions/authed-action";
import { repoIdSchema, repoInputSchema, updateRepoSchema } from "@/lib/repos/schema";
import { createRepo, deleteRepo, updateRepo } from "@/lib/repos/service";

export const createRepoAction = authedAction(
  repoInputSchema,
  "repos:write",
  async (input, actor) => {
    await createRepo(actor, input);
    revalidatePath("/repos");
    redirect("/repos");
  },
  "Repository registered.",
);

export const updateRepoAction = authedAction(
  updateRepoSchema,
  "repos:write",
  async ({ id, ...input }, actor) => {
    const repo = await updateRepo(actor, id, input);
    revalidatePath("/repos");
    revalidatePath(`/repos/${repo.id}`);
    return { id: repo.id };
  },
  "Changes saved.",
);

export const deleteRepoAction = authedAction(
  repoIdSchema,
  "repos:write",
  async ({ id }, actor) => {
    await deleteRepo(actor, id);
    revalidatePath("/repos");
    redirect("/repos");
  },
  "Repository deleted.",
);
