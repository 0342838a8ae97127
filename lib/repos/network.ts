// A repository's network policy: what its runs' sandboxes may reach. Developers may register and edit
// repositories, but only an admin may open the network: it is how code and secrets could leave the server.
import type { NetworkPolicy, Repository } from "@/db/schema";
import { type Actor, can, ROLE_LABELS } from "@/lib/auth/permissions";
import { AppError, badRequest } from "@/lib/errors";

export interface NetworkSettings {
  network: NetworkPolicy;
  allowedHosts: string[];
}

/** A new repository's policy: no network. */
export const NO_NETWORK: NetworkSettings = { network: "none", allowedHosts: [] };

export const sameNetwork = (a: NetworkSettings, b: NetworkSettings) =>
  a.network === b.network &&
  a.allowedHosts.length === b.allowedHosts.length &&
  a.allowedHosts.every((host, i) => host === b.allowedHosts[i]);

/**
 * The policy after a change: left-out fields keep the current policy; the hosts are dropped when the
 * policy stops being an allowlist. Throws when the result doesn't make sense, or when the actor may not
 * change it. `current` is NO_NETWORK for a new repository.
 */
export function settleNetwork(
  actor: Actor,
  current: NetworkSettings,
  input: { network?: NetworkPolicy; allowedHosts?: string[] },
): NetworkSettings {
  const network = input.network ?? current.network;
  const allowedHosts =
    input.allowedHosts ??
    (network === "allowlist" && current.network === "allowlist" ? current.allowedHosts : []);
  const next = { network, allowedHosts };
  if (!sameNetwork(next, current) && !can(actor, "repos:network")) {
    const role = ROLE_LABELS[actor.role].toLowerCase();
    throw new AppError(
      "forbidden",
      current === NO_NETWORK
        ? `Only an admin can give a repository network access; your role (${role}) registers it with none. Leave the network policy out, or ask an admin.`
        : `Only an admin can change a repository's network access; your role (${role}) can edit its other settings.`,
      "network",
    );
  }
  if (network !== "allowlist" && allowedHosts.length > 0) {
    throw badRequest(
      `Allowed hosts only apply to the "allowlist" network policy (this one is "${network}"). Choose "allowlist", or leave the hosts empty.`,
      "allowedHosts",
    );
  }
  if (network === "allowlist" && allowedHosts.length === 0) {
    throw badRequest(
      "Allowed hosts: an allowlist needs at least one host the sandbox may reach (e.g. registry.npmjs.org), or choose another network policy.",
      "allowedHosts",
    );
  }
  return next;
}

export const networkOf = (repo: Pick<Repository, "network" | "allowedHosts">): NetworkSettings => ({
  network: repo.network,
  allowedHosts: repo.allowedHosts,
});
