import type { NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/route";
import { currentActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { listBoardTasks } from "@/lib/tasks/board";
import { parseBoardFilters } from "@/lib/tasks/board-columns";

export const dynamic = "force-dynamic";

/** The board's data for the browser's query cache (session-authenticated). */
export async function GET(request: NextRequest) {
  try {
    const actor = await currentActor();
    if (!actor) throw new AppError("unauthorized", "Sign in to see the board.");
    const filters = parseBoardFilters(Object.fromEntries(request.nextUrl.searchParams));
    return Response.json({ tasks: await listBoardTasks(actor, filters) });
  } catch (error) {
    // Bad filters (a ZodError) or a broken escape are a JSON 400 like the API's, not a 500.
    return errorResponse(error);
  }
}
