import type { AuditSource, Role } from "@/db/schema";
import { forbidden } from "@/lib/errors";

export const PERMISSIONS = [
  "team:read",
  "members:manage",
  "models:manage",
  "settings:manage",
  "repos:write",
  /** Set a repository's network policy (what its runs' sandboxes may reach): admins only. */
  "repos:network",
  "agents:write",
  "tasks:assign",
  "tasks:review",
  "tasks:merge",
  "runs:approve",
  "tokens:own",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const developer: Permission[] = [
  "team:read",
  "repos:write",
  "agents:write",
  "tasks:assign",
  "tasks:review",
  "tasks:merge",
  "runs:approve",
  "tokens:own",
];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  developer: new Set(developer),
  viewer: new Set(["team:read", "tokens:own"]),
};

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  developer: "Developer",
  viewer: "Viewer",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: "Everything, including members, models and settings",
  developer: "Assign tasks, review and merge; manage repositories and agents",
  viewer: "Read only",
};

/** Who is acting, and through which door: every service takes one. */
export interface Actor {
  userId: string;
  teamId: string;
  role: Role;
  email: string;
  name: string;
  source: AuditSource;
}

export function can(actor: Pick<Actor, "role">, permission: Permission): boolean {
  return GRANTS[actor.role].has(permission);
}

export function authorize(actor: Pick<Actor, "role">, permission: Permission): void {
  if (!can(actor, permission)) {
    throw forbidden(`Your role (${ROLE_LABELS[actor.role].toLowerCase()}) can't do that.`);
  }
}
