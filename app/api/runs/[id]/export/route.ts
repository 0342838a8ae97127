import { sessionRoute } from "@/lib/api/session-route";
import { exportRun } from "@/lib/runs/export";

export const dynamic = "force-dynamic";

/** "Download JSON": every event of the run as an attachment, for replay and sharing. */
export const GET = sessionRoute<{ id: string }>(async ({ actor, params }) => {
  const { filename, body } = await exportRun(actor, params.id);
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
