import type { NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/route";
import { currentActor } from "@/lib/auth/session";
import { AppError, notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { repoMergeQueue } from "@/lib/merge-queue/queries";

export const dynamic = "force-dynamic";

/** A repository's merge queue for the browser's query cache (session-authenticated). */
export async function GET(request: NextRequest) {
  try {
    const actor = await currentActor();
    if (!actor) throw new AppError("unauthorized", "Sign in to see the merge queue.");
    const repoId = request.nextUrl.searchParams.get("repo") ?? "";
    if (!isUuid(repoId)) throw notFound("Repository");
    return Response.json({ entries: await repoMergeQueue(actor, repoId) });
  } catch (error) {
    return errorResponse(error);
  }
}
