"use server";

import { currentActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { listRepoBranches } from "@/lib/repos/branches";

/** The base-branch select's options for one repository (read through Foreman's clone). */
export async function repoBranchesAction(
  repoId: string,
): Promise<{ branches: string[] } | { error: string }> {
  try {
    const actor = await currentActor();
    if (!actor) throw new AppError("unauthorized", "Your session has ended. Sign in again.");
    return { branches: await listRepoBranches(actor, String(repoId)) };
  } catch (error) {
    if (error instanceof AppError) return { error: error.message };
    console.error(error);
    return { error: "Couldn't list the branches." };
  }
}
