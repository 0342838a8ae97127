import { z } from "zod";
import { getDb } from "@/db";
import { apiRoute, parseWith, readJson } from "@/lib/api/route";
import { serializeTask } from "@/lib/api/serialize";
import { authorize } from "@/lib/auth/permissions";
import { reviewerIdByEmail, setTaskReviewer } from "@/lib/tasks/reviewer";

export const dynamic = "force-dynamic";

const bodySchema = z.object({
  reviewerEmail: z.email("Enter the reviewer's email address, or null for nobody.").nullable(),
});

/** {reviewerEmail: "…" | null}: who reviews the task; null leaves it to nobody. */
export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  authorize(actor, "tasks:assign");
  const { reviewerEmail } = parseWith(bodySchema, await readJson(request));
  const reviewerId = reviewerEmail
    ? await reviewerIdByEmail(await getDb(), actor.teamId, reviewerEmail, "reviewerEmail")
    : null;
  return { task: serializeTask(await setTaskReviewer(actor, params.id, { reviewerId })) };
});
