"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/authed-action";
import {
  approvalsSchema,
  conflictsSchema,
  discardedSchema,
  renameTeam,
  renameTeamSchema,
  runsSchema,
  updateTeamSettings,
  wipLimitsSchema,
} from "@/lib/teams/settings";

export const renameTeamAction = authedAction(
  renameTeamSchema,
  "settings:manage",
  async (input, actor) => {
    const team = await renameTeam(actor, input);
    // The name heads the sidebar on every page: the dashboard's layout renders again.
    revalidatePath("/", "layout");
    return { name: team.name };
  },
  "Team renamed",
);

export const updateWipLimitsAction = authedAction(
  wipLimitsSchema,
  "settings:manage",
  async (input, actor) => {
    await updateTeamSettings(actor, "wipLimits", input);
    revalidatePath("/settings/general");
    revalidatePath("/board");
  },
  "WIP limits saved",
);

export const updateApprovalsAction = authedAction(
  approvalsSchema,
  "settings:manage",
  async (input, actor) => {
    await updateTeamSettings(actor, "approvals", input);
    revalidatePath("/settings/general");
  },
  "Approval rule saved",
);

export const updateRunCapAction = authedAction(
  runsSchema,
  "settings:manage",
  async (input, actor) => {
    await updateTeamSettings(actor, "runs", input);
    revalidatePath("/settings/general");
  },
  "Run cap saved",
);

export const updateConflictsAction = authedAction(
  conflictsSchema,
  "settings:manage",
  async (input, actor) => {
    await updateTeamSettings(actor, "conflicts", input);
    revalidatePath("/settings/general");
  },
  "Conflict rule saved",
);

export const updateDiscardedRetentionAction = authedAction(
  discardedSchema,
  "settings:manage",
  async (input, actor) => {
    await updateTeamSettings(actor, "discarded", input);
    revalidatePath("/settings/general");
  },
  "Retention saved",
);
