import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { repositories, tasks } from "@/db/schema";
import { type Actor, authorize } from "@/lib/auth/permissions";
import { badRequest, notFound } from "@/lib/errors";
import { clonePath } from "@/lib/git/clone";
import { runGit } from "@/lib/git/runner";
import { isUuid } from "@/lib/ids";

/** Files bigger than this aren't expanded on the review page (the diff itself still shows). */
export const MAX_EXPAND_BYTES = 1024 * 1024;
const SHA = /^[0-9a-f]{40}$/;

/**
 * A file of the task's repository at a commit, as lines: what the review page needs to show context
 * around the diff's hunks. The commit and path come from the browser, so both are checked: a full commit
 * id, and a plain relative path (no NUL, no `..`, not absolute).
 */
export async function fileLinesAt(
  actor: Actor,
  taskId: string,
  input: { sha: string | null; path: string | null },
): Promise<{ lines: string[] }> {
  authorize(actor, "team:read");
  if (!isUuid(taskId)) throw notFound("Task");
  const sha = input.sha?.trim().toLowerCase() ?? "";
  const path = input.path ?? "";
  if (!SHA.test(sha)) throw badRequest("sha must be a full commit id (40 hex digits).", "sha");
  if (
    !path ||
    path.length > 4096 ||
    path.includes("\0") ||
    path.startsWith("/") ||
    path.split("/").some((part) => part === ".." || part === "")
  ) {
    throw badRequest("path must be a file's path inside the repository.", "path");
  }
  const db = await getDb();
  const [row] = await db
    .select({ repo: repositories })
    .from(tasks)
    .innerJoin(repositories, eq(repositories.id, tasks.repoId))
    .where(and(eq(tasks.id, taskId), eq(tasks.teamId, actor.teamId)));
  if (!row) throw notFound("Task");
  // The diff being reviewed was read from Foreman's clone, so the commit is there: no fetch.
  const clone = clonePath(row.repo.id);
  const size = await runGit(["cat-file", "-s", `${sha}:${path}`], { gitDir: clone });
  if (size.code !== 0) throw notFound("File");
  if (Number(size.stdout.trim()) > MAX_EXPAND_BYTES) {
    throw badRequest("This file is too large to expand here: open it in your editor.", "path");
  }
  const shown = await runGit(["cat-file", "blob", `${sha}:${path}`], { gitDir: clone });
  if (shown.code !== 0) throw notFound("File");
  const lines = shown.stdout.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return { lines };
}
