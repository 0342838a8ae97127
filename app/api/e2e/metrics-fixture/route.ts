import { currentActor } from "@/lib/auth/session";
import { AppError, badRequest } from "@/lib/errors";
import { e2eHooksEnabled, runE2eMetricsHook } from "@/lib/metrics/e2e-hook";

export const dynamic = "force-dynamic";

const ACTIONS = ["load", "spend-today", "clear-cap"] as const;

/**
 * POST { action }: the end-to-end suite's fixture loader (see lib/metrics/e2e-hook.ts for why it exists).
 * A 404 on every server but the one e2e/support/server.mjs starts.
 */
export async function POST(request: Request) {
  if (!e2eHooksEnabled()) return new Response("Not found", { status: 404 });
  try {
    const actor = await currentActor();
    if (!actor) throw new AppError("unauthorized", "Sign in first.");
    const body = (await request.json().catch(() => ({}))) as { action?: string };
    const action = ACTIONS.find((a) => a === body.action);
    if (!action) throw badRequest(`action is one of ${ACTIONS.join(", ")}.`, "action");
    return Response.json(await runE2eMetricsHook(actor, action));
  } catch (error) {
    if (error instanceof AppError) return error.toResponse();
    throw error;
  }
}
