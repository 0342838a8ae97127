import { apiRoute, created, readJson } from "@/lib/api/route";
import { sendRunMessage } from "@/lib/runs/service";

export const dynamic = "force-dynamic";

/** {text}: steers a live run; the model reads it at its next turn. */
export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  const body = await readJson(request);
  const { seq } = await sendRunMessage(actor, params.id, { text: body.text as string });
  return created({ message: { runId: params.id, seq, text: String(body.text).trim() } });
});
