// A seeded fuzz of every REST API v1 route handler: hostile bodies, params, queries and tokens, called
// as Next calls them (a real Request, params as a promise) with a real API token and without one.
// Nothing may answer ≥ 500, and every 4xx must be the API's JSON error shape. FUZZ_SEED=… replays a run.
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import * as agentsRoute from "@/app/api/v1/agents/route";
import * as metricsRoute from "@/app/api/v1/metrics/route";
import * as repoRoute from "@/app/api/v1/repos/[id]/route";
import * as reposRoute from "@/app/api/v1/repos/route";
import * as cancelRoute from "@/app/api/v1/runs/[id]/cancel/route";
import * as diffRoute from "@/app/api/v1/runs/[id]/diff/route";
import * as eventsRoute from "@/app/api/v1/runs/[id]/events/route";
import * as messagesRoute from "@/app/api/v1/runs/[id]/messages/route";
import * as runRoute from "@/app/api/v1/runs/[id]/route";
import * as approveRoute from "@/app/api/v1/tasks/[id]/approve/route";
import * as compareRoute from "@/app/api/v1/tasks/[id]/compare/route";
import * as discardRoute from "@/app/api/v1/tasks/[id]/discard/route";
import * as mergeRoute from "@/app/api/v1/tasks/[id]/merge/route";
import * as promoteRoute from "@/app/api/v1/tasks/[id]/promote/route";
import * as requestChangesRoute from "@/app/api/v1/tasks/[id]/request-changes/route";
import * as reviewerRoute from "@/app/api/v1/tasks/[id]/reviewer/route";
import * as taskRoute from "@/app/api/v1/tasks/[id]/route";
import * as tasksRoute from "@/app/api/v1/tasks/route";
import { apiRoute } from "@/lib/api/route";
import type { Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { addComment } from "@/lib/reviews/comments";
import { createTask } from "@/lib/tasks/service";
import { otherTeamMember, teamAdmin, teamMember } from "@/lib/testing/fixtures";
import { insertRun } from "@/lib/testing/run-fixtures";
import { createApiToken } from "@/lib/tokens/service";

const SEED = Number(process.env.FUZZ_SEED ?? 0x12_c0_ff_ee) >>> 0;
const REQUESTS = 600;

/** mulberry32: a tiny seeded PRNG, so a failing request can be replayed with FUZZ_SEED. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const chance = (p: number) => random() < p;

const deep = (depth: number): unknown => {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = chance(0.5) ? [value] : { a: value };
  return value;
};

const STRINGS = [
  "",
  " ",
  "x".repeat(300),
  "y".repeat(120_000),
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff\ud800",
  "\u202eevil",
  "\ufeff",
  "🙂".repeat(50),
  "Ω≈ç√∫",
  "'; drop table tasks; --",
  "1 OR 1=1",
  '" OR ""="',
  "$(rm -rf /)",
  "`id`",
  "; cat /etc/passwd",
  "| nc attacker 1",
  "../../../../etc/passwd",
  "file:///etc/shadow",
  "http://169.254.169.254/latest/meta-data/",
  "--upload-pack=touch /tmp/pwned",
  "-oProxyCommand=id",
  "%zz",
  "%E0%A4%A",
  "%C0%AE%C0%AE",
  "%00",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e309",
  "9".repeat(400),
  "-1",
  "0x10",
  "<script>alert(1)</script>",
  "null",
  "__proto__",
  "constructor",
  "00000000-0000-0000-0000-000000000000",
  "claude-haiku-4-5",
  "main",
] as const;

const NUMBERS = [
  0,
  -1,
  1,
  0.5,
  -0.0001,
  1e9,
  1e8,
  99_999_999.99995,
  2 ** 31,
  2 ** 31 - 1,
  2 ** 53 + 1,
  1e308,
  -1e308,
  12,
];

/** Any hostile JSON value (NaN and Infinity can't be JSON: they go in raw bodies below). */
function hostileValue(): unknown {
  switch (Math.floor(random() * 8)) {
    case 0:
    case 1:
      return pick(STRINGS);
    case 2:
      return pick(NUMBERS);
    case 3:
      return pick([true, false, null]);
    case 4:
      return [pick(STRINGS), pick(NUMBERS)];
    case 5:
      return { __proto__: { admin: true }, constructor: "x", [pick(STRINGS)]: pick(NUMBERS) };
    case 6:
      return deep(1 + Math.floor(random() * 200));
    default:
      return pick(ids());
  }
}

const RAW_BODIES = [
  "",
  "{",
  "[]",
  "null",
  '"a string"',
  "42",
  '{"maxCostUsd": NaN}',
  '{"maxSteps": Infinity}',
  "{'single': 1}",
  '{"a":1,}',
  "\u0000",
  `${"[".repeat(20_000)}${"]".repeat(20_000)}`,
  `{"title": "\\ud800", "prompt": "\\u0000"}`,
  '{"__proto__": {"role": "admin"}}',
];

interface Fixture {
  admin: Actor;
  token: string;
  viewerToken: string;
  own: { repo: string; agent: string; task: string; run: string };
  foreign: { repo: string; agent: string; task: string; run: string };
}
let fx: Fixture;
const ids = () => [
  fx.own.repo,
  fx.own.agent,
  fx.own.task,
  fx.own.run,
  fx.foreign.repo,
  fx.foreign.agent,
  fx.foreign.task,
  fx.foreign.run,
  crypto.randomUUID(),
];

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
interface Route {
  name: string;
  method: "GET" | "POST" | "PATCH";
  handler: Handler;
  /** "task" | "run" | "repo": which kind of id the path takes. */
  id?: "task" | "run" | "repo";
  query?: string[];
  /** A mostly valid body, so mutations get past the first check. */
  body?: () => Record<string, unknown>;
}

const h = (handler: unknown) => handler as Handler;
const ROUTES: Route[] = [
  { name: "GET /agents", method: "GET", handler: h(agentsRoute.GET) },
  {
    name: "POST /agents",
    method: "POST",
    handler: h(agentsRoute.POST),
    body: () => ({
      name: `Fuzz ${random()}`,
      model: "claude-haiku-4-5",
      maxSteps: 10,
      maxCostUsd: 1,
      maxDurationMinutes: 5,
      thinkingBudget: null,
      sandboxLimits: { memoryMb: 2048 },
      rules: [],
      riskyPatterns: [],
    }),
  },
  { name: "GET /repos", method: "GET", handler: h(reposRoute.GET) },
  {
    name: "POST /repos",
    method: "POST",
    handler: h(reposRoute.POST),
    body: () => ({
      name: `fuzz-${random()}`,
      source: "/nonexistent",
      defaultBranch: "main",
      testCommand: "true",
    }),
  },
  { name: "GET /repos/:id", method: "GET", handler: h(repoRoute.GET), id: "repo" },
  {
    name: "PATCH /repos/:id",
    method: "PATCH",
    handler: h(repoRoute.PATCH),
    id: "repo",
    body: () => ({ testCommand: "npm test", mergeStrategy: "merge" }),
  },
  { name: "GET /tasks", method: "GET", handler: h(tasksRoute.GET), query: ["status"] },
  {
    name: "POST /tasks",
    method: "POST",
    handler: h(tasksRoute.POST),
    body: () => ({
      title: "Fuzz",
      prompt: "Do it.",
      repoId: fx.own.repo,
      agentId: fx.own.agent,
      maxSteps: 5,
      maxCostUsd: 1,
      maxDurationMin: 10,
    }),
  },
  { name: "GET /tasks/:id", method: "GET", handler: h(taskRoute.GET), id: "task" },
  { name: "POST /tasks/:id/discard", method: "POST", handler: h(discardRoute.POST), id: "task" },
  {
    name: "POST /tasks/:id/approve",
    method: "POST",
    handler: h(approveRoute.POST),
    id: "task",
    body: () => ({}),
  },
  {
    name: "POST /tasks/:id/reviewer",
    method: "POST",
    handler: h(reviewerRoute.POST),
    id: "task",
    body: () => ({ reviewerEmail: null }),
  },
  {
    name: "POST /tasks/:id/request-changes",
    method: "POST",
    handler: h(requestChangesRoute.POST),
    id: "task",
    body: () => ({ comments: [{ path: "README.md", line: 1, body: "Fix." }], body: "Please." }),
  },
  {
    name: "POST /tasks/:id/merge",
    method: "POST",
    handler: h(mergeRoute.POST),
    id: "task",
    body: () => ({ verify: false }),
  },
  {
    name: "GET /tasks/:id/compare",
    method: "GET",
    handler: h(compareRoute.GET),
    id: "task",
    query: ["a", "b"],
  },
  {
    name: "POST /tasks/:id/promote",
    method: "POST",
    handler: h(promoteRoute.POST),
    id: "task",
    body: () => ({ runId: fx.own.run }),
  },
  {
    name: "GET /metrics",
    method: "GET",
    handler: h(metricsRoute.GET),
    query: ["range", "from", "to", "groupBy"],
  },
  { name: "GET /runs/:id", method: "GET", handler: h(runRoute.GET), id: "run" },
  { name: "POST /runs/:id/cancel", method: "POST", handler: h(cancelRoute.POST), id: "run" },
  { name: "GET /runs/:id/events", method: "GET", handler: h(eventsRoute.GET), id: "run", query: ["after"] },
  {
    name: "POST /runs/:id/messages",
    method: "POST",
    handler: h(messagesRoute.POST),
    id: "run",
    body: () => ({ text: "Stop and explain." }),
  },
  { name: "GET /runs/:id/diff", method: "GET", handler: h(diffRoute.GET), id: "run" },
];

const BROKEN_ESCAPES = ["%zz", "%E0%A4%A", "%C0%AE%C0%AE", "%", "%%", "%u0041", "%ff%fe"];

/** The route's id param: own, foreign, random, hostile, or one Next couldn't decode (a rejected promise). */
function params(route: Route): { params: Promise<unknown>; shown: string } {
  if (!route.id) return { params: Promise.resolve({}), shown: "{}" };
  const own = { task: fx.own.task, run: fx.own.run, repo: fx.own.repo }[route.id];
  const roll = random();
  if (roll < 0.15) return { params: Promise.resolve({ id: own }), shown: own };
  if (roll < 0.3) {
    const id = pick(ids());
    return { params: Promise.resolve({ id }), shown: id };
  }
  if (roll < 0.45) {
    const broken = pick(BROKEN_ESCAPES);
    return { params: Promise.reject(new URIError(`URI malformed: ${broken}`)), shown: `reject(${broken})` };
  }
  if (roll < 0.6) {
    const raw = pick(BROKEN_ESCAPES);
    return { params: Promise.resolve({ id: raw }), shown: raw };
  }
  const id = String(pick(STRINGS));
  return { params: Promise.resolve({ id }), shown: JSON.stringify(id.slice(0, 40)) };
}

function body(route: Route): string | undefined {
  if (route.method === "GET") return undefined;
  if (!route.body || chance(0.25)) return chance(0.5) ? pick(RAW_BODIES) : undefined;
  const value: Record<string, unknown> = route.body();
  const keys = Object.keys(value);
  const mutations = 1 + Math.floor(random() * 3);
  for (let i = 0; i < mutations; i++) {
    const roll = random();
    if (roll < 0.6 && keys.length > 0) value[pick(keys)] = hostileValue();
    else if (roll < 0.8)
      value[pick(["unknown", "id", "teamId", "role", "status", "__proto__", "x".repeat(500)])] =
        hostileValue();
    else if (keys.length > 0) delete value[pick(keys)];
  }
  if (route.name.endsWith("request-changes") && chance(0.5)) {
    value.comments = [
      {
        path: pick(STRINGS),
        line: pick([...NUMBERS, ...STRINGS]),
        side: pick(["new", "old", "x"]),
        body: pick(STRINGS),
      },
    ];
  }
  return JSON.stringify(value);
}

// A lone surrogate can't be percent-encoded: a browser sends U+FFFD instead, and so do we.
const encode = (text: string) => encodeURIComponent(text.toWellFormed());

function url(route: Route): string {
  const parts = (route.query ?? [])
    .filter(() => chance(0.7))
    .map((name) => {
      const value = chance(0.2)
        ? pick(BROKEN_ESCAPES)
        : encode(String(pick([...STRINGS, ...NUMBERS])).slice(0, 2000));
      return `${name}=${value}`;
    });
  if (chance(0.2)) parts.push(`unknown=${encode(pick(STRINGS).slice(0, 100))}`);
  return `http://localhost/api/v1/fuzz${parts.length ? `?${parts.join("&")}` : ""}`;
}

async function expectApiAnswer(response: Response, what: string) {
  expect(response.status, what).toBeLessThan(500);
  if (response.status < 400) return;
  expect(response.headers.get("content-type"), what).toMatch(/application\/json/);
  const answer = await response.json();
  expect(typeof answer?.error?.code, what).toBe("string");
  expect(typeof answer.error.message, what).toBe("string");
  expect(answer.error.message.length, what).toBeGreaterThan(0);
  if ("field" in answer.error) expect(typeof answer.error.field, what).toBe("string");
}

beforeAll(async () => {
  console.log(`[fuzz] seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
  const admin = await teamAdmin();
  const own = await insertRun(admin);
  const other = await otherTeamMember();
  const foreign = await insertRun(other);
  const of = (f: typeof own) => ({ repo: f.repo.id, agent: f.agent.id, task: f.task.id, run: f.run.id });
  fx = {
    admin,
    token: (await createApiToken(admin, { name: "fuzz" })).token,
    viewerToken: (await createApiToken(await teamMember("viewer"), { name: "fuzz viewer" })).token,
    own: of(own),
    foreign: of(foreign),
  };
});

describe(`API fuzz (seed ${SEED})`, { timeout: 300_000 }, () => {
  it(`${REQUESTS} hostile requests over every v1 route: none ≥ 500, every 4xx the JSON error shape`, async () => {
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      // Every route at least REQUESTS / ROUTES.length times, in a seeded order.
      const route = ROUTES[i % ROUTES.length] as Route;
      const tokenRoll = random();
      const token =
        tokenRoll < 0.7
          ? fx.token
          : tokenRoll < 0.8
            ? fx.viewerToken
            : tokenRoll < 0.9
              ? undefined
              : "fm_' OR 1=1 --";
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (chance(0.8)) headers["content-type"] = "application/json";
      if (route.query?.includes("after") && chance(0.3))
        headers["last-event-id"] = String(pick([...NUMBERS, "abc", "9".repeat(30)]));
      const payload = body(route);
      const target = url(route);
      const { params: routeParams, shown } = params(route);
      routeParams.catch(() => {}); // a rejected one is the handler's to answer; the test only holds it
      const what = `#${i} seed ${SEED} ${route.name} id=${shown} token=${token ? token.slice(0, 8) : "none"} url=${target.slice(0, 120)} body=${payload?.slice(0, 160)}`;
      const request = new Request(target, { method: route.method, headers, body: payload });
      const response = await route.handler(request, { params: routeParams as Promise<never> });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      try {
        if (!token) expect(response.status, what).toBe(401);
        await expectApiAnswer(response, what);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    // All of them at once, each with what replays it.
    expect(failures).toEqual([]);
    console.log(`[fuzz] statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
    // The suite reached past the first check: successes and refusals of several kinds.
    expect([...statuses.keys()].filter((s) => s < 300).length).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(50);
    expect(statuses.get(404) ?? 0).toBeGreaterThan(10);
  });

  it("the central wrapper turns any undecodable param into a JSON 400, whatever the route", async () => {
    const echo = apiRoute<{ id: string; rest: string[] }>(async ({ params }) => ({ params }));
    for (let i = 0; i < 60; i++) {
      const broken = pick(BROKEN_ESCAPES);
      const request = new Request("http://localhost/api/v1/echo", {
        headers: { authorization: `Bearer ${fx.token}` },
      });
      const given =
        i % 3 === 0
          ? Promise.reject(new URIError(broken))
          : Promise.resolve(
              i % 3 === 1 ? { id: `${pick(ids())}${broken}` } : { id: fx.own.task, rest: ["ok", broken] },
            );
      given.catch(() => {});
      const response = await echo(request, { params: given as Promise<never> });
      expect(response.status, `seed ${SEED} #${i} ${broken}`).toBe(400);
      await expectApiAnswer(response, `seed ${SEED} #${i}`);
    }
  });

  // Server actions import next-auth (via authedAction), which doesn't load outside Next: the form's
  // path is covered through the services the actions call, with the strings a hostile form can post.
  it("the task form's and the comment form's services refuse hostile form values with AppError or ZodError", async () => {
    const failures: string[] = [];
    const expected = (error: unknown) => error instanceof AppError || error instanceof z.ZodError;
    const fields = [
      "title",
      "prompt",
      "repoId",
      "agentId",
      "baseBranch",
      "reviewerId",
      "maxSteps",
      "maxCostUsd",
      "maxDurationMin",
    ];
    for (let i = 0; i < 80; i++) {
      const input: Record<string, unknown> = {
        title: "Form",
        prompt: "Do it.",
        repoId: fx.own.repo,
        agentId: fx.own.agent,
        [pick(fields)]: chance(0.8) ? String(pick([...STRINGS, ...NUMBERS])) : hostileValue(),
      };
      const what = `seed ${SEED} createTask #${i} ${JSON.stringify(input).slice(0, 200)}`;
      await createTask(fx.admin, input as never).catch((error: unknown) => {
        if (!expected(error)) failures.push(`${what}: ${String(error).slice(0, 200)}`);
      });
    }
    for (let i = 0; i < 40; i++) {
      const comment = {
        path: String(pick(STRINGS)),
        lineStart: String(pick([...STRINGS, ...NUMBERS])),
        side: pick(["new", "old", "x"]),
        body: String(pick(STRINGS)),
      };
      const what = `seed ${SEED} addComment #${i} ${JSON.stringify(comment).slice(0, 200)}`;
      await addComment(fx.admin, pick([fx.own.task, fx.foreign.task, "%zz"]), comment as never).catch(
        (error: unknown) => {
          if (!expected(error)) failures.push(`${what}: ${String(error).slice(0, 200)}`);
        },
      );
    }
    expect(failures).toEqual([]);
  });
});
