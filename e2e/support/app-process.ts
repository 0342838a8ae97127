import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";

/** A port nobody listens on right now, so a leftover server can never answer in our place. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** A Foreman server of the test's own (`next start` on the current build), for restart scenarios. */
export interface AppProcess {
  url: string;
  output: () => string;
  hasExited: () => boolean;
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
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  return {
    url: `http://localhost:${port}`,
    output: () => log,
    hasExited: () => exitCode !== undefined,
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
    if (app.hasExited()) throw new Error(`server exited:\n${app.output()}`);
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
