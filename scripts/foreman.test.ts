// The operator CLI as operators run it: a real child process on its own embedded database folder.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { acquirePgliteLock } from "@/db/pglite-lock";
import { hashSecret } from "@/lib/auth/secrets";

const root = path.resolve(import.meta.dirname, "..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-cli-"));

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function cli(args: string[], dataDir = dir, timeoutMs = 45_000): Promise<Result> {
  const env: Record<string, string | undefined> = { ...process.env, FOREMAN_DATA_DIR: dataDir };
  // Forces the embedded database even when the test run itself uses PostgreSQL.
  delete env.DATABASE_URL;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["--conditions=react-server", "scripts/foreman.ts", ...args], {
      cwd: root,
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`CLI did not exit within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Reads the CLI's database folder directly, holding its lock like any other process must. */
async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const release = acquirePgliteLock(dir);
  const db = new PGlite(path.join(dir, "pglite"));
  try {
    return (await db.query<T>(sql, params)).rows;
  } finally {
    await db.close();
    release();
  }
}

const lastLine = (text: string) => text.trimEnd().split("\n").at(-1) ?? "";

describe("foreman CLI", { timeout: 120_000 }, () => {
  it("refuses a non-admin founder, then founds the team with an admin and adds a developer", async () => {
    const early = await cli([
      "user:create",
      "--email",
      "dev@example.com",
      "--password",
      "long enough",
      "--role",
      "developer",
    ]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/first person founds it and must be an admin/);

    const admin = await cli([
      "user:create",
      "--email",
      "Root@Example.com",
      "--password",
      "long enough",
      "--role",
      "admin",
      "--name",
      "Root",
    ]);
    expect(admin.stderr).toBe("");
    expect(admin.code).toBe(0);
    expect(admin.stdout).toMatch(/root@example\.com \(Admin\).*founded the team/);

    const dev = await cli([
      "user:create",
      "--email",
      "dev@example.com",
      "--password",
      "long enough",
      "--role",
      "developer",
    ]);
    expect(dev.code).toBe(0);

    const rows = await query<{ email: string; name: string; role: string; team_id: string }>(
      "select u.email, u.name, m.role, m.team_id from users u join memberships m on m.user_id = u.id order by u.created_at",
    );
    expect(rows.map((r) => [r.email, r.name, r.role])).toEqual([
      ["root@example.com", "Root", "admin"],
      ["dev@example.com", "dev", "developer"],
    ]);
    expect(new Set(rows.map((r) => r.team_id)).size).toBe(1);
    const audit = await query<{ action: string; source: string }>(
      "select action, source from audit_events order by id",
    );
    expect(audit).toEqual([
      { action: "team.created", source: "cli" },
      { action: "member.added", source: "cli" },
    ]);

    const duplicate = await cli([
      "user:create",
      "--email",
      "dev@example.com",
      "--password",
      "long enough",
      "--role",
      "viewer",
    ]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/already exists/);
  });

  it("creates an API token for a member, printed alone on the last line and stored only as its hash", async () => {
    const result = await cli(["token:create", "--email", "dev@example.com", "--name", "deploy bot"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const token = lastLine(result.stdout);
    expect(token).toMatch(/^fm_[\w-]{30,}$/);
    const rows = await query<{ name: string; email: string; prefix: string; revoked_at: Date | null }>(
      "select t.name, u.email, t.prefix, t.revoked_at from api_tokens t join users u on u.id = t.user_id where t.token_hash = $1",
      [hashSecret(token)],
    );
    expect(rows).toEqual([
      { name: "deploy bot", email: "dev@example.com", prefix: token.slice(0, 10), revoked_at: null },
    ]);
    const audit = await query<{ action: string; source: string }>(
      "select action, source from audit_events where action = 'token.created'",
    );
    expect(audit).toEqual([{ action: "token.created", source: "cli" }]);

    const unknown = await cli(["token:create", "--email", "nobody@example.com"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No member with the email nobody@example\.com/);
  });

  it("prints the usage and exits 2 for bad or missing arguments and unknown commands", async () => {
    const cases = [
      [],
      ["frobnicate"],
      ["user:create", "--email", "x@example.com", "--password", "long enough"],
      ["user:create", "--email", "x@example.com", "--password", "long enough", "--role", "owner"],
      ["user:create", "--email", "not-an-email", "--password", "long enough", "--role", "viewer"],
      ["user:create", "--email", "x@example.com", "--password", "short", "--role", "viewer"],
      ["token:create", "--email", "dev@example.com", "--bogus", "1"],
      ["token:create"],
    ];
    for (const args of cases) {
      const result = await cli(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(/Usage: npm run foreman -- <command>/);
      expect(result.stdout).toBe("");
    }
  });

  it("says plainly that the embedded database is in use, and exits 1 without waiting", async () => {
    const release = acquirePgliteLock(dir);
    try {
      const result = await cli(["token:create", "--email", "dev@example.com"], dir, 15_000);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/is in use by another Foreman process/);
      expect(result.stderr).toContain(`pid ${process.pid}`);
      expect(result.ms).toBeLessThan(10_000);
    } finally {
      release();
    }
    const tokens = await query<{ n: number }>("select count(*)::int as n from api_tokens");
    expect(tokens).toEqual([{ n: 1 }]);
  });
});
