import { redirect } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";

export default async function SettingsPage() {
  const actor = await requireActor();
  redirect(can(actor, "members:manage") ? "/settings/members" : "/settings/tokens");
}
