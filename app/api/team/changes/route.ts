import type { NextRequest } from "next/server";
import { SSE_KEEPALIVE, SSE_RETRY, sseMessage, sseResponse } from "@/lib/api/sse";
import { currentActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { subscribe, subscribeTeamChanges } from "@/lib/events/bus";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const KEEPALIVE_MS = 15_000;
/** Cost moves with every model reply of every run: at most one "cost" notice per connection per this. */
const COST_THROTTLE_MS = 2_000;

/**
 * "Something changed in your team" as server-sent events: one small event per task/run/approval/review
 * change (ids only), so the board, the inbox and the sidebar badge refetch what they show.
 */
export async function GET(request: NextRequest) {
  const actor = await currentActor();
  if (!actor) return new AppError("unauthorized", "Sign in to follow your team.").toResponse();
  const teamId = actor.teamId;
  const encoder = new TextEncoder();
  const cleanups: (() => void)[] = [];
  let closed = false;

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const close = () => {
        if (closed) return;
        closed = true;
        for (const cleanup of cleanups.splice(0)) cleanup();
        try {
          controller.close();
        } catch {
          // the client went away first
        }
      };
      const write = (chunk: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          close();
        }
      };
      const send = (data: Record<string, unknown>) => write(sseMessage("change", data));
      if (request.signal.aborted) return close();
      request.signal.addEventListener("abort", close);
      cleanups.push(() => request.signal.removeEventListener("abort", close));
      write(SSE_RETRY);

      let costTimer: NodeJS.Timeout | undefined;
      cleanups.push(() => clearTimeout(costTimer));
      try {
        const stopChanges = await subscribeTeamChanges(teamId, (change) =>
          send({ kind: change.kind, taskId: change.taskId ?? null, runId: change.runId ?? null }),
        );
        cleanups.push(stopChanges);
        const stopRuns = await subscribe({ teamId }, (notice) => {
          if (!notice.types?.includes("assistant_message") || costTimer) return;
          costTimer = setTimeout(() => {
            costTimer = undefined;
            send({ kind: "cost", taskId: null, runId: notice.runId });
          }, COST_THROTTLE_MS);
        });
        cleanups.push(stopRuns);
      } catch (error) {
        console.error("[sse] team changes failed:", error);
        return close();
      }
      if (closed) return;
      const keepalive = setInterval(() => write(SSE_KEEPALIVE), KEEPALIVE_MS);
      cleanups.push(() => clearInterval(keepalive));
      // The client refetches on open, so changes made while it was disconnected are not missed.
      write(sseMessage("ready", {}));
    },
    cancel() {
      closed = true;
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  });
  return sseResponse(stream);
}
