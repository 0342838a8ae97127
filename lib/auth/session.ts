import { redirect } from "next/navigation";
import { cache } from "react";
import { AppError } from "@/lib/errors";
import { actorForSession } from "./actor";
import { auth } from "./config";
import { authorize, type Permission } from "./permissions";

/**
 * The signed-in person with their current role, once per request; null when signed out, including a
 * session ended since it began (sign-out, removal, lowered role: see actorForSession).
 */
export const currentActor = cache(async () => {
  const session = await auth();
  const userId = session?.user?.id;
  return userId ? actorForSession({ userId, sessionVersion: session.sessionVersion }, "browser") : null;
});

/** For pages and layouts: sends signed-out visitors to sign-in. */
export async function requireActor() {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in");
  return actor;
}

/** For actions: refuses signed-out callers and callers without the permission. */
export async function requireActorFor(permission: Permission) {
  const actor = await currentActor();
  if (!actor) throw new AppError("unauthorized", "Your session has ended. Sign in again.");
  authorize(actor, permission);
  return actor;
}
