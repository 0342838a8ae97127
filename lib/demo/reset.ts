// "Reset the demo": once the demo task's fix is merged, main no longer has a failing test to fix. A reset
// commits the demo repository's first tree again on top of main (history is kept, so Foreman's clone and
// open branches stay valid: a branch that started from the original files still merges cleanly), and the
// demo can be tried from the start.
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { repositories } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Actor, authorize, can } from "@/lib/auth/permissions";
import { conflict, notFound } from "@/lib/errors";
import { git } from "@/lib/git/runner";
import { DEMO_REPO_NAME, demoRepoDir } from "./workspace";

async function findDemoRepo(teamId: string) {
  const db = await getDb();
  const [repo] = await db
    .select()
    .from(repositories)
    .where(
      and(
        eq(repositories.teamId, teamId),
        eq(repositories.name, DEMO_REPO_NAME),
        eq(repositories.source, demoRepoDir(teamId)),
      ),
    );
  return repo ?? null;
}

const gitOf = (dir: string) => ({ gitDir: `${dir}/.git`, workTree: dir });

/** Whether main still holds the demo's first tree (nothing merged since it was created or reset). */
async function mainIsPristine(dir: string, branch: string): Promise<boolean> {
  const repo = gitOf(dir);
  const [root, head] = await Promise.all([
    git(["log", "--format=%T", "--max-parents=0", branch], repo),
    git(["rev-parse", `${branch}^{tree}`], repo),
  ]);
  return root.stdout.trim().split("\n").at(-1) === head.stdout.trim();
}

/** Whether the board offers "Reset the demo" to this person: an admin, once something is merged into main. */
export async function canResetDemo(actor: Actor): Promise<boolean> {
  if (!can(actor, "settings:manage")) return false;
  const repo = await findDemoRepo(actor.teamId);
  if (!repo) return false;
  return !(await mainIsPristine(repo.source, repo.defaultBranch).catch(() => true));
}

export async function resetDemoWorkspace(actor: Actor) {
  authorize(actor, "settings:manage");
  const repo = await findDemoRepo(actor.teamId);
  if (!repo) throw notFound("Demo workspace");
  const db = await getDb();
  return db.transaction(async (tx) => {
    // The repository row is the lock: two resets happen one at a time.
    await tx.select().from(repositories).where(eq(repositories.id, repo.id)).for("update");
    const dir = repo.source;
    if (await mainIsPristine(dir, repo.defaultBranch)) {
      throw conflict(
        "The demo repository is already as it was loaded: its test still fails. Assign the demo task.",
      );
    }
    const paths = gitOf(dir);
    const root = (await git(["log", "--format=%T", "--max-parents=0", repo.defaultBranch], paths)).stdout
      .trim()
      .split("\n")
      .at(-1) as string;
    await git(["checkout", "--quiet", repo.defaultBranch], paths);
    await git(["read-tree", "-u", "--reset", root], paths);
    await git(["commit", "--quiet", "-m", "Reset the demo: the calculator with its failing test again"], {
      ...paths,
      env: {
        GIT_AUTHOR_NAME: "Foreman",
        GIT_AUTHOR_EMAIL: "foreman@localhost",
        GIT_COMMITTER_NAME: "Foreman",
        GIT_COMMITTER_EMAIL: "foreman@localhost",
      },
    });
    await recordAudit(tx, actor, "demo.reset", { type: "repository", id: repo.id });
    return { repo };
  });
}
