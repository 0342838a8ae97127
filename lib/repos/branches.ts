import { type Actor, authorize } from "@/lib/auth/permissions";
import { badRequest } from "@/lib/errors";
import { listCloneBranches } from "@/lib/git/branches";
import { getRepo } from "./service";

/** The branches a task can start from, default branch first. */
export async function listRepoBranches(actor: Actor, repoId: string): Promise<string[]> {
  authorize(actor, "team:read");
  const repo = await getRepo(actor, repoId);
  let branches: string[];
  try {
    branches = await listCloneBranches(repo);
  } catch (error) {
    console.error("[repos] listing branches failed:", error);
    throw badRequest(`Couldn't read the branches of ${repo.name} from ${repo.source}.`, "baseBranch");
  }
  return [repo.defaultBranch, ...branches.filter((b) => b !== repo.defaultBranch)];
}
