// The operator CLI: `npm run foreman -- <command>`. Exit codes: 0 done, 1 refused (domain error,
// database in use), 2 bad arguments.
import { closeDb } from "@/db";
import { DatabaseInUseError } from "@/db/pglite-lock";
import { AppError } from "@/lib/errors";
import { parseCommand, USAGE, UsageError } from "./cli/args";
import { runCommand } from "./cli/commands";

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    console.log(USAGE);
    return 0;
  }
  try {
    const command = parseCommand(argv);
    await runCommand(command, (line) => console.log(line));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`foreman: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof DatabaseInUseError || error instanceof AppError) {
      console.error(`foreman: ${error.message}`);
      return 1;
    }
    console.error("foreman: unexpected error:", error);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
await closeDb().catch((error) => console.error("foreman: closing the database failed:", error));
process.exit(code);
