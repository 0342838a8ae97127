import "server-only";
import type { Actor } from "@/lib/auth/permissions";
import { currentActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { errorResponse, readParams } from "./route";

/**
 * A route handler for the browser (the signed-in session, not an API token): the actor is loaded with
 * their current role, and errors become the same JSON `{error: {code, message}}` as the REST API's.
 */
export function sessionRoute<P extends Record<string, string>>(
  handler: (context: { actor: Actor; request: Request; params: P }) => Promise<Response | object>,
) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const reading = readParams(context); // handled at once: see apiRoute
      reading.catch(() => {});
      const actor = await currentActor();
      if (!actor) throw new AppError("unauthorized", "Sign in to see this.");
      const result = await handler({ actor, request, params: await reading });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
