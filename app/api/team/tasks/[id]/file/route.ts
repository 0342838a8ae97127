import { searchParam } from "@/lib/api/route";
import { sessionRoute } from "@/lib/api/session-route";
import { fileLinesAt } from "@/lib/reviews/file-at";

export const dynamic = "force-dynamic";

/** ?sha=&path=: a file of the task's repository at a commit, as lines (the review page's expand context). */
export const GET = sessionRoute<{ id: string }>(async ({ actor, request, params }) =>
  fileLinesAt(actor, params.id, { sha: searchParam(request, "sha"), path: searchParam(request, "path") }),
);
