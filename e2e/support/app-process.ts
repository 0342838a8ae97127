import { type ChildProcess, spawn } from "node:child_process";

/** A Foreman server of the test's own (`next start` on the current build), for restart scenarios. */
export interface AppProcess {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
  exited: Promise<number | null>;
}

export function embeddedEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FOREMAN_DATA_DIR: dataDir,
    AUTH_SECRET: "e2e-embedded-secret",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_MANUAL_SIG_HANDLE: "1",
  };
  delete env.DATABASE_URL;
  return env;
}

export function startApp(port: number, env: NodeJS.ProcessEnv): AppProcess {
  let log = "";
  const child: ChildProcess = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-p", String(port)],
    {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (chunk) => {
    log += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    log += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    url: `http://localhost:${port}`,
    output: () => log,
    exited,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

export async function waitUntilServing(app: AppProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${app.url}/sign-in`, { redirect: "manual" });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server did not start:\n${app.output()}`);
}
