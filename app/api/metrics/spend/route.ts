import { SSE_KEEPALIVE, sseMessage, sseResponse } from "@/lib/api/sse";
import { authorize } from "@/lib/auth/permissions";
import { currentActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { subscribe, subscribeTeamChanges } from "@/lib/events/bus";
import { spendCapStatus } from "@/lib/metrics/spend-cap";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const KEEPALIVE_MS = 25_000;
// Model calls can land many times a second across a team: recompute at most this often.
const THROTTLE_MS = 1_000;

/** Server-sent month-to-date spend of the signed-in person's team: now, then after each model call. */
export async function GET(request: Request) {
  const actor = await currentActor();
  if (!actor) return new AppError("unauthorized", "Sign in to see spend.").toResponse();
  try {
    authorize(actor, "team:read");
  } catch (error) {
    if (error instanceof AppError) return error.toResponse();
    throw error;
  }
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const send = async () => {
        timer = undefined;
        if (closed) return;
        try {
          const status = await spendCapStatus(actor.teamId);
          controller.enqueue(encoder.encode(sseMessage("spend", status)));
        } catch {
          // A failed read is retried on the next notice.
        }
      };
      const schedule = () => {
        timer ??= setTimeout(send, THROTTLE_MS);
      };
      const offRuns = await subscribe({ teamId: actor.teamId }, (notice) => {
        if (notice.types?.some((type) => type === "assistant_message" || type === "run_finished")) schedule();
      });
      const offTeam = await subscribeTeamChanges(actor.teamId, schedule);
      const keepalive = setInterval(() => {
        if (!closed) controller.enqueue(encoder.encode(SSE_KEEPALIVE));
      }, KEEPALIVE_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(keepalive);
        if (timer) clearTimeout(timer);
        void offRuns();
        void offTeam();
        try {
          controller.close();
        } catch {}
      };
      request.signal.addEventListener("abort", cleanup);
      await send();
    },
    cancel() {
      cleanup();
    },
  });
  return sseResponse(stream);
}
