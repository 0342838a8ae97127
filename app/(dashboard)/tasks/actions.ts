"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/actions/authed-action";
import { createTaskSchema } from "@/lib/tasks/schema";
import { createTask } from "@/lib/tasks/service";

export const createTaskAction = authedAction(createTaskSchema, "tasks:assign", async (input, actor) => {
  const { task, run, runs } = await createTask(actor, input);
  revalidatePath("/board");
  // Several agents: the task page lists each agent's run side by side.
  redirect(runs.length > 1 ? `/tasks/${task.id}` : `/runs/${run.id}`);
});
