"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/actions/authed-action";
import { switchTeam, switchTeamSchema } from "@/lib/teams/current";

/** Any member may choose which of their teams they work in; the board, since other pages are per team. */
export const switchTeamAction = authedAction(switchTeamSchema, "team:read", async ({ teamId }, actor) => {
  await switchTeam(actor, teamId);
  revalidatePath("/", "layout");
  redirect("/board");
});
