"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/actions/authed-action";
import { createTaskSchema } from "@/lib/tasks/schema";
import { createTask } from "@/lib/tasks/service";

export const createTaskAction = authedAction(createTaskSchema, "tasks:assign", async (input, actor) => {
  const { run } = await createTask(actor, input);
  revalidatePath("/board");
  redirect(`/runs/${run.id}`);
});
