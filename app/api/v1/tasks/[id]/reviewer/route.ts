import { z } from "zod";
import { getDb } from "@/db";
import { apiRoute, parseWith, readJson } from "@/lib/api/route";
import { serializeTask } from "@/lib/api/serialize";
import { authorize } from "@/lib/auth/permissions";
import { assertReviewer, memberIdByEmail, setTaskReviewer } from "@/lib/tasks/reviewer";

export const dynamic = "force-dynamic";

const bodySchema = z.object({
  reviewerEmail: z.email("Enter the reviewer's email address, or null for nobody.").nullable(),
});

/** {reviewerEmail: "…" | null}: who reviews the task; null leaves it to nobody. */
export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  authorize(actor, "tasks:assign");
  const { reviewerEmail } = parseWith(bodySchema, await readJson(request));
  let reviewerId: string | null = null;
  if (reviewerEmail) {
    const db = await getDb();
    reviewerId = await memberIdByEmail(db, actor.teamId, reviewerEmail, "reviewerEmail");
    await assertReviewer(db, actor.teamId, reviewerId, "reviewerEmail");
  }
  return { task: serializeTask(await setTaskReviewer(actor, params.id, { reviewerId })) };
});
