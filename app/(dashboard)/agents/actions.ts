"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/actions/authed-action";
import { agentFormSchema, agentIdSchema, updateAgentFormSchema } from "@/lib/agents/schema";
import { createAgent, deleteAgent, updateAgent } from "@/lib/agents/service";

export const createAgentAction = authedAction(
  agentFormSchema,
  "agents:write",
  async (input, actor) => {
    const agent = await createAgent(actor, input);
    revalidatePath("/agents");
    // A redirect drops the action's result, so the list page shows the feedback.
    redirect(`/agents?created=${agent.id}`);
  },
  "Agent created.",
);

export const updateAgentAction = authedAction(
  updateAgentFormSchema,
  "agents:write",
  async ({ id, ...input }, actor) => {
    const agent = await updateAgent(actor, id, input);
    revalidatePath("/agents");
    revalidatePath(`/agents/${id}`);
    return { id: agent.id };
  },
  "Changes saved.",
);

export const deleteAgentAction = authedAction(
  agentIdSchema,
  "agents:write",
  async ({ id }, actor) => {
    await deleteAgent(actor, id);
    revalidatePath("/agents");
    redirect("/agents?deleted=1");
  },
  "Agent deleted.",
);
