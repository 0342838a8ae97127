import { apiRoute } from "@/lib/api/route";
import { runDiff } from "@/lib/reviews/queries";

export const dynamic = "force-dynamic";

/** The run's changes against the base branch (from the merge base): files with counts, and the patch. */
export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => {
  const diff = await runDiff(actor, params.id);
  return {
    from: diff.fromSha,
    to: diff.toSha,
    files: diff.files.map((f) => ({
      path: f.path,
      oldPath: f.oldPath,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      binary: f.binary,
    })),
    patch: diff.patch,
  };
});
