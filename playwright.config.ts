import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3210);
/** The fake Messages API the e2e app uses (e2e/support/fake-model-server.ts). */
export const modelPort = Number(process.env.E2E_MODEL_PORT ?? port + 1);
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"], ["json", { outputFile: ".test-reports/e2e.json" }]],
  use: {
    // Auth.js needs the browser on localhost (not 127.0.0.1) or credentials sign-in fails with MissingCSRF.
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.FOREMAN_CHROMIUM ?? "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/ },
    // The first-run experience needs the instance as a new team finds it (an empty board), so it runs
    // before every spec that creates tasks on the shared server.
    { name: "first-run", testMatch: /demo-run\.spec\.ts/, dependencies: ["setup"] },
    {
      name: "chromium",
      testMatch: /.*\.spec\.ts/,
      testIgnore: /demo-run\.spec\.ts/,
      dependencies: ["first-run"],
    },
  ],
  webServer: {
    command: "node e2e/support/server.mjs",
    url: `http://localhost:${port}/sign-in`,
    env: { PORT: String(port), E2E_MODEL_PORT: String(modelPort) },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
