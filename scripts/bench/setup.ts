// What every end-to-end benchmark sets up: a scratch database, a small source repository, and the fake
// Messages API in a process of its own.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

export function log(message: string) {
  process.stderr.write(`[bench] ${message}\n`);
}

/** A statement on the server's admin connection (create / drop database). */
export async function adminQuery(adminUrl: string, sqlText: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

/** The URL of database `name` on the server `adminUrl` points at. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A git repository with a README and src/notes.txt on `main`, in `dir`. */
export function makeSourceRepo(dir: string, notes: string): string {
  fs.mkdirSync(path.join(dir, "src"), { recursive: true });
  fs.writeFileSync(path.join(dir, "README.md"), "# bench\n");
  fs.writeFileSync(path.join(dir, "src", "notes.txt"), `${notes}\n`);
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.com", ...args], {
      cwd: dir,
    });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "init");
  return dir;
}

/** The fake Messages API in its own process (./fake-model-process.ts): `steps` model turns per run. */
export async function startFakeModelProcess(steps: number): Promise<{ url: string; close: () => void }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", path.join(import.meta.dirname, "fake-model-process.ts")],
    { env: { ...process.env, BENCH_STEPS: String(steps) }, stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once("exit", (code) => reject(new Error(`the fake model process exited (${code})`)));
  });
  return { url, close: () => child.kill("SIGTERM") };
}

/**
 * A benchmark's arguments (`parse` throws on a bad one) and the PostgreSQL server it creates its scratch
 * database on; either missing ends the process with a one-line reason.
 */
export function benchStart<T>(name: string, parse: (argv: string[]) => T): { options: T; adminUrl: string } {
  let options: T;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${name}: ${(error as Error).message}`);
    process.exit(2);
  }
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    console.error(`${name} needs DATABASE_URL (a PostgreSQL server; a scratch database is created on it).`);
    process.exit(2);
  }
  return { options, adminUrl };
}
