"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/authed-action";
import { renameTeam, renameTeamSchema } from "@/lib/teams/settings";

export const renameTeamAction = authedAction(
  renameTeamSchema,
  "settings:manage",
  async (input, actor) => {
    const team = await renameTeam(actor, input);
    revalidatePath("/settings", "layout");
    return { name: team.name };
  },
  "Team renamed",
);
