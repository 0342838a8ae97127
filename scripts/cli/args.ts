import { parseArgs } from "node:util";
import { ROLES, type Role } from "@/db/schema";

export const USAGE = `Usage: npm run foreman -- <command> [options]

Commands:
  user:create --email E --password P --role admin|developer|viewer [--name N] [--team-name T]
      Adds a person. On an empty Foreman the first person founds the team and must be an admin;
      everyone after joins the team with the given role.
  token:create --email E [--name N]
      Creates an API token for an existing member; the token is printed alone on the last line.
      It is shown once and acts with that member's role.

The database is PostgreSQL when DATABASE_URL is set, otherwise the embedded one in
$FOREMAN_DATA_DIR/pglite (default .data/pglite), which only one process may open at a time.`;

/** Wrong or missing arguments: the CLI prints the reason and the usage, and exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type Command =
  | {
      kind: "user:create";
      email: string;
      password: string;
      role: Role;
      name?: string;
      teamName?: string;
    }
  | { kind: "token:create"; email: string; name?: string };

function parse(args: string[], options: Record<string, { type: "string" }>) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | undefined
    >;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function required(values: Record<string, string | undefined>, name: string): string {
  const value = values[name];
  if (value === undefined || value.trim() === "") throw new UsageError(`Missing --${name}.`);
  return value;
}

export function parseCommand(argv: string[]): Command {
  const [command, ...rest] = argv;
  switch (command) {
    case "user:create": {
      const values = parse(rest, {
        email: { type: "string" },
        password: { type: "string" },
        role: { type: "string" },
        name: { type: "string" },
        "team-name": { type: "string" },
      });
      const role = required(values, "role");
      if (!(ROLES as readonly string[]).includes(role)) {
        throw new UsageError(`--role must be one of ${ROLES.join(", ")} (got "${role}").`);
      }
      return {
        kind: "user:create",
        email: required(values, "email"),
        password: required(values, "password"),
        role: role as Role,
        name: values.name,
        teamName: values["team-name"],
      };
    }
    case "token:create": {
      const values = parse(rest, { email: { type: "string" }, name: { type: "string" } });
      return { kind: "token:create", email: required(values, "email"), name: values.name };
    }
    case undefined:
      throw new UsageError("Missing command.");
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}
