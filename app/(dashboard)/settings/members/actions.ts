"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { authedAction } from "@/lib/actions/authed-action";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import {
  changeRoleSchema,
  createInviteSchema,
  removeMemberSchema,
  revokeInviteSchema,
} from "@/lib/members/schema";
import { changeRole, createInvite, removeMember, revokeInvite } from "@/lib/members/service";

const PATH = "/settings/members";

/** The address people reached this Foreman at, so the invite link works from where it is pasted. */
async function requestOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get("host") ?? h.get("x-forwarded-host") ?? "localhost:3000";
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  return `${proto}://${host}`;
}

export const createInviteAction = authedAction(
  createInviteSchema,
  "members:manage",
  async (input, actor) => {
    const { invite, path } = await createInvite(actor, input);
    revalidatePath(PATH);
    return { url: `${await requestOrigin()}${path}`, role: invite.role, expiresAt: invite.expiresAt };
  },
  "Invite link created",
);

export const revokeInviteAction = authedAction(
  revokeInviteSchema,
  "members:manage",
  async (input, actor) => {
    await revokeInvite(actor, input.id);
    revalidatePath(PATH);
  },
  "Invite revoked",
);

export const changeRoleAction = authedAction(
  changeRoleSchema,
  "members:manage",
  async (input, actor) => {
    const member = await changeRole(actor, input.userId, input.role);
    revalidatePath(PATH);
    return member;
  },
  (member) => `${member.name} is now ${ROLE_LABELS[member.role].toLowerCase()}`,
);

export const removeMemberAction = authedAction(
  removeMemberSchema,
  "members:manage",
  async (input, actor) => {
    await removeMember(actor, input.userId);
    revalidatePath(PATH);
  },
  "Member removed",
);
