import { z } from "zod";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { actorForEmail } from "@/lib/members/service";
import { createMember } from "@/lib/teams/onboarding";
import { createApiToken } from "@/lib/tokens/service";
import { type Command, UsageError } from "./args";

/** Writes a line to stdout; the commands' output is meant to be read by people and scripts alike. */
export type Print = (line: string) => void;

export async function runCommand(command: Command, print: Print): Promise<void> {
  switch (command.kind) {
    case "user:create": {
      const { actor, foundedTeam } = await createMember(
        {
          email: command.email,
          password: command.password,
          role: command.role,
          name: command.name,
          teamName: command.teamName,
        },
        "cli",
      ).catch(asUsageError);
      print(
        foundedTeam
          ? `Created ${actor.email} (${ROLE_LABELS[actor.role]}) and founded the team.`
          : `Created ${actor.email} (${ROLE_LABELS[actor.role]}) in the team.`,
      );
      return;
    }
    case "token:create": {
      const actor = await actorForEmail(command.email, "cli").catch(asUsageError);
      const { token, row } = await createApiToken(actor, { name: command.name ?? "CLI token" });
      print(
        `Created API token "${row.name}" (${row.prefix}…) for ${actor.email}, acting as ${ROLE_LABELS[actor.role]}.`,
      );
      print("Store it now: it won't be shown again.");
      print(token);
      return;
    }
  }
}

/** Arguments that fail validation (a malformed email, a short password) are usage errors, not domain ones. */
function asUsageError(error: unknown): never {
  if (error instanceof z.ZodError) {
    throw new UsageError(
      error.issues.map((issue) => `--${String(issue.path[0] ?? "?")}: ${issue.message}`).join("\n"),
    );
  }
  if (error instanceof AppError && error.code === "bad_request" && error.field === "email") {
    throw new UsageError(`--email: ${error.message}`);
  }
  throw error;
}
