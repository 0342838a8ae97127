import { errorResponse } from "@/lib/api/route";
import { currentActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { listInbox } from "@/lib/inbox/queries";

export const dynamic = "force-dynamic";

/** What waits on the signed-in person, for the inbox page and the sidebar badge. */
export async function GET() {
  try {
    const actor = await currentActor();
    if (!actor) throw new AppError("unauthorized", "Sign in to see your inbox.");
    return Response.json({ items: await listInbox(actor) });
  } catch (error) {
    // Bad filters (a ZodError) or a broken escape are a JSON 400 like the API's, not a 500.
    return errorResponse(error);
  }
}
