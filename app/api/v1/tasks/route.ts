import { z } from "zod";
import { getDb } from "@/db";
import { TASK_STATUSES } from "@/db/schema";
import { apiRoute, created, parseWith, readJson, searchParam } from "@/lib/api/route";
import { serializeRun, serializeTask } from "@/lib/api/serialize";
import { authorize } from "@/lib/auth/permissions";
import { baseConflictsOf, overlapsOf, serializeOverlap } from "@/lib/conflicts/queries";
import { taskDependencyFields } from "@/lib/tasks/dependency-queries";
import { reviewerIdByEmail } from "@/lib/tasks/reviewer";
import { apiBudgetSchema } from "@/lib/tasks/schema";
import { createTask, listTasks } from "@/lib/tasks/service";

export const dynamic = "force-dynamic";

const statusSchema = z.object({
  status: z.enum(TASK_STATUSES, { error: `Status must be one of: ${TASK_STATUSES.join(", ")}.` }).optional(),
});

/** `?status=in_review`: the team's tasks, newest first (at most 500). */
export const GET = apiRoute(async ({ actor, request }) => {
  const { status } = parseWith(statusSchema, {
    status: searchParam(request, "status") || undefined,
  });
  const listed = await listTasks(actor, { status });
  const ids = listed.map((task) => task.id);
  const [overlaps, baseConflicts, dependencies] = await Promise.all([
    overlapsOf(actor, ids),
    baseConflictsOf(actor, ids),
    taskDependencyFields(actor, listed),
  ]);
  return {
    tasks: listed.map((task) => ({
      ...serializeTask(task),
      ...dependencies.get(task.id),
      overlaps: (overlaps.get(task.id) ?? []).map(serializeOverlap),
      baseConflictFiles: baseConflicts.get(task.id) ?? null,
    })),
  };
});

const reviewerSchema = z.object({
  reviewerEmail: z.email("Enter the reviewer's email address.").optional().nullable(),
});

/** {title, prompt, repoId, agentId, baseBranch?, reviewerEmail?, dependsOn?, maxSteps?, maxCostUsd?, maxDurationMin?} */
export const POST = apiRoute(async ({ actor, request }) => {
  authorize(actor, "tasks:assign"); // before reading the body: a viewer learns "not allowed" first
  const body = await readJson(request);
  const { reviewerEmail } = parseWith(reviewerSchema, body);
  parseWith(apiBudgetSchema, body);
  // Its errors name the field the caller sent.
  const reviewerId = reviewerEmail
    ? await reviewerIdByEmail(await getDb(), actor.teamId, reviewerEmail, "reviewerEmail")
    : undefined;
  const { task, run } = await createTask(actor, {
    title: body.title as string,
    prompt: body.prompt as string,
    repoId: body.repoId as string,
    agentId: body.agentId as string,
    baseBranch: body.baseBranch as string | undefined,
    reviewerId,
    maxSteps: body.maxSteps as number | undefined,
    maxCostUsd: body.maxCostUsd as number | undefined,
    maxDurationMin: body.maxDurationMin as number | undefined,
    dependsOn: body.dependsOn as string[] | undefined,
  });
  const dependencies = (await taskDependencyFields(actor, [task])).get(task.id);
  return created({ task: { ...serializeTask(task), ...dependencies }, run: serializeRun(run) });
});
