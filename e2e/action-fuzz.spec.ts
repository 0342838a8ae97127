// Seeded fuzz of every server action, through the endpoint a browser uses: actions are public POSTs, so
// each must answer hostile bodies with a refusal, never a 5xx or a database error, and store nothing
// hostile. The action ids come from the build's server-reference manifest (every action of every page),
// and each is posted to a page that serves it, in the three ways Next accepts an action call: the
// client's `Next-Action` header with an encoded reply, and the no-JavaScript form post
// (`$ACTION_ID_…`, or `$ACTION_REF_…` for a useActionState form).
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { type APIRequestContext, expect, request as playwrightRequest, test } from "@playwright/test";
import pg from "pg";
import { createInvite, joinWithInvite, newPerson } from "./support/invites";

const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
/** A marker inside hostile text, to find it if anything stored it. */
const MARKER = "fz7q";

interface ServerAction {
  id: string;
  name: string;
  /** Pages (as URL paths) whose bundle serves the action. */
  paths: string[];
}

/** `app/(dashboard)/tasks/[id]/review/page` → `/tasks/<uuid>/review`. */
function pagePath(worker: string): string | null {
  if (!worker.startsWith("app/") || !worker.endsWith("/page")) return null;
  const segments = worker
    .slice("app/".length, -"/page".length)
    .split("/")
    .filter((s) => !/^\(.*\)$/.test(s))
    .map((s) => (/^\[.*\]$/.test(s) ? randomUUID() : s));
  return `/${segments.join("/")}`;
}

function serverActions(): ServerAction[] {
  const file = path.join(process.cwd(), ".next", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    name: `${entry.filename}#${entry.exportedName}`,
    paths: Object.keys(entry.workers)
      .map(pagePath)
      .filter((p): p is string => p !== null),
  }));
}

/** Signed in, these would end the fuzzing session or load the demo's tasks; signed out they are posted. */
const SIGNED_IN_SKIP = [/user-menu\.tsx#/, /loadDemoWorkspaceAction$/];

// mulberry32: a small seeded generator, so a failure can be replayed with FUZZ_SEED.
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  return { next, int, pick };
}

const FIELDS = [
  ...["name", "email", "password", "currentPassword", "newPassword", "confirmPassword", "teamName"],
  ...["invite", "next", "title", "prompt", "repoId", "agentId", "alsoAgentIds", "baseBranch", "model"],
  ...["maxCostUsd", "maxSteps", "maxDurationMin", "maxDurationMinutes", "bashTimeoutSec", "thinkingBudget"],
  ...["maxConcurrentRuns", "riskyPatterns", "rules", "systemPrompt", "source", "defaultBranch"],
  ...["setupCommand", "testCommand", "mergeStrategy", "network", "allowedHosts", "id", "taskId", "runId"],
  ...["commentId", "path", "side", "lineStart", "lineEnd", "body", "verify", "reviewerId", "userId"],
  ...["role", "expiresInDays", "capUsd", "text", "toolUseId", "approved", "action", "contextWindow"],
  ...["inputPerMTok", "outputPerMTok", "requireIndependentApproval", "in_review", "running"],
];
const UNKNOWN_FIELDS = ["__proto__", "constructor", "prototype", "$ACTION_KEY", "x".repeat(2000), "a[b]", ""];

function hostileValue(r: ReturnType<typeof generator>): string {
  const values = [
    "",
    " ",
    `${MARKER}\u0000`,
    `a\u0000b${MARKER}`,
    `${MARKER}\ud800`,
    `x\udfff${MARKER}`,
    `\udc00\ud800${MARKER}`,
    "%zz",
    "%E0%A4%A",
    "%C0%AE%C0%AE",
    "\\u00",
    "\\x",
    `'; DROP TABLE users; -- ${MARKER}`,
    `" OR 1=1 -- ${MARKER}`,
    `$(touch /tmp/${MARKER})`,
    "`id`",
    "; cat /etc/passwd",
    "../../../../etc/passwd",
    "NaN",
    "Infinity",
    "-Infinity",
    "-1",
    "0",
    "1e309",
    "1e9",
    "9".repeat(400),
    "0x1F",
    "2.5",
    "true",
    "null",
    "undefined",
    "[]",
    "{}",
    '{"__proto__":{"polluted":1}}',
    `["$K1","$@0","$Q2"]`,
    "$@1",
    "$K1",
    "$ACTION_ID_",
    randomUUID(),
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
    `inv_${"A".repeat(40)}`,
    `<script>alert('${MARKER}')</script>`,
    "🙂".repeat(500),
    "\u202e\u0301\u200b",
    "x".repeat(20_000),
    MARKER.repeat(30_000),
  ];
  return r.pick(values);
}

/** JSON that a reply decoder may choke on: wrong types, deep nesting, React's reference syntax. */
function hostileJson(r: ReturnType<typeof generator>): string {
  const values = [
    '[{"ok":false},"$K1"]',
    '[{"ok":true,"data":{"id":"$K1"}},"$K1"]',
    '["$K1"]',
    '"$K1"',
    '["$K99","$K99"]',
    '["$@1","$Q1","$W1","$F1","$h1","$T","$B1"]',
    `["${MARKER}\\u0000"]`,
    '["\\ud800"]',
    "[",
    "{",
    "not json",
    "",
    "null",
    "1e309",
    `${"[".repeat(5000)}${"]".repeat(5000)}`,
    JSON.stringify([{ ok: false }, "x".repeat(50_000)]),
    JSON.stringify({ id: randomUUID(), bound: "$@1" }),
    '{"__proto__":{"polluted":1}}',
    JSON.stringify([randomUUID(), "../../etc/passwd", -1, null]),
    JSON.stringify(["%zz", { path: ["x"] }, 1e308, true]),
  ];
  return r.pick(values);
}

function hostileFields(r: ReturnType<typeof generator>): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  const count = 1 + r.int(8);
  for (let i = 0; i < count; i++) {
    const name = r.next() < 0.85 ? r.pick(FIELDS) : r.pick(UNKNOWN_FIELDS);
    fields.push([name, hostileValue(r)]);
  }
  return fields;
}

const HEX = "0123456789abcdef";

interface Attempt {
  label: string;
  path: string;
  headers: Record<string, string>;
  multipart?: Array<[string, string]>;
  text?: string;
}

/** One hostile call of the action, in one of the encodings Next accepts. */
function attemptFor(action: ServerAction, r: ReturnType<typeof generator>): Attempt {
  const pagePathOf = r.pick(action.paths.length ? action.paths : ["/board"]);
  const fields = hostileFields(r);
  const headers: Record<string, string> = {
    // Its own throttle bucket per request, so failed sign-ins here never lock the suite's address.
    "x-forwarded-for": `10.${r.int(256)}.${r.int(256)}.${r.int(256)}`,
    accept: "text/x-component",
  };
  const kind = r.int(6);
  if (kind === 0 || kind === 1) {
    // The client's call of a useActionState action: [state, FormData] as an encoded reply.
    return {
      label: "next-action multipart",
      path: pagePathOf,
      headers: { ...headers, "next-action": action.id },
      multipart: [
        ["0", kind === 0 ? '[{"ok":false},"$K1"]' : hostileJson(r)],
        ...fields.map(([k, v]) => [`1_${k}`, v] as [string, string]),
      ],
    };
  }
  if (kind === 2) {
    // The client's call of an action with plain arguments (repoBranchesAction, lineProvenanceAction).
    return {
      label: "next-action text",
      path: pagePathOf,
      headers: { ...headers, "next-action": action.id, "content-type": "text/plain;charset=UTF-8" },
      text: r.next() < 0.5 ? JSON.stringify(fields.map(([, v]) => v)) : hostileJson(r),
    };
  }
  if (kind === 3) {
    // A form posted without JavaScript that names the action.
    return {
      label: "$ACTION_ID form",
      path: pagePathOf,
      headers,
      multipart: [[`$ACTION_ID_${action.id}`, ""], ...fields],
    };
  }
  if (kind === 4) {
    // A useActionState form posted without JavaScript: the action and its bound state.
    return {
      label: "$ACTION_REF form",
      path: pagePathOf,
      headers,
      multipart: [
        ["$ACTION_REF_1", ""],
        ["$ACTION_1:0", r.next() < 0.6 ? JSON.stringify({ id: action.id, bound: "$@1" }) : hostileJson(r)],
        ["$ACTION_1:1", r.next() < 0.5 ? '[{"ok":false}]' : hostileJson(r)],
        ["$ACTION_KEY", hostileValue(r)],
        ...fields,
      ],
    };
  }
  // An action id that no build has: a forged or stale client.
  const forged = Array.from({ length: 42 }, () => r.pick([...HEX])).join("");
  return {
    label: "unknown action id",
    path: pagePathOf,
    headers: {
      ...headers,
      // Header values are Latin-1 without control characters; anything else never reaches the server.
      "next-action": r.pick([
        forged,
        forged.slice(0, 10),
        "../../etc/passwd",
        "' OR 1=1 --",
        "x".repeat(300),
        "%zz",
        "null",
      ]),
    },
    multipart: [["0", '[{"ok":false},"$K1"]'], ...fields.map(([k, v]) => [`1_${k}`, v] as [string, string])],
  };
}

interface Outcome {
  action: string;
  label: string;
  path: string;
  status: number;
  note: string;
}

async function send(api: APIRequestContext, action: ServerAction, attempt: Attempt): Promise<Outcome> {
  const body = attempt.multipart ? new FormData() : undefined;
  for (const [name, value] of attempt.multipart ?? []) body?.append(name, value);
  const response = await api.fetch(attempt.path, {
    method: "POST",
    headers: attempt.headers,
    maxRedirects: 0,
    timeout: 30_000,
    ...(body ? { multipart: body } : { data: attempt.text ?? "" }),
  });
  const text = await response.text();
  // An action that meets an unexpected error answers 200 with the generic message (errorState): that
  // is a crash too, only caught.
  const crashed = /Something went wrong on the server|Couldn't list the branches/.test(text);
  return {
    action: action.name,
    label: attempt.label,
    path: attempt.path,
    status: crashed ? 599 : response.status(),
    note: crashed ? "caught server error in the action's answer" : text.slice(0, 300),
  };
}

async function fuzz(api: APIRequestContext, actions: ServerAction[], perAction: number, seed: number) {
  const r = generator(seed);
  const attempts = actions.flatMap((action) =>
    Array.from({ length: perAction }, () => ({ action, attempt: attemptFor(action, r) })),
  );
  const outcomes: Outcome[] = [];
  const queue = [...attempts];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        outcomes.push(await send(api, next.action, next.attempt));
      }
    }),
  );
  return outcomes;
}

test("every server action answers hostile posts with a refusal, signed in and out, and stores nothing hostile", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const actions = serverActions();
  // A sanity check that the manifest was read: the forms of tasks, agents, repositories and settings.
  for (const name of ["createTaskAction", "createAgentAction", "createRepoAction", "renameTeamAction"]) {
    expect(actions.map((a) => a.name).some((n) => n.endsWith(`#${name}`))).toBe(true);
  }

  const developer = newPerson("Developer");
  const page = await joinWithInvite(browser, await createInvite(browser, "Developer"), developer);
  const signedIn = page.context().request;
  const inside = actions.filter((a) => !SIGNED_IN_SKIP.some((skip) => skip.test(a.name)));
  const outcomesIn = await fuzz(signedIn, inside, 12, SEED);

  const signedOut = await playwrightRequest.newContext({ baseURL });
  const outcomesOut = await fuzz(signedOut, actions, 4, SEED + 1);
  // A forged session cookie passes the proxy and reaches the actions, which must see no one.
  const forged = await playwrightRequest.newContext({
    baseURL,
    extraHTTPHeaders: { cookie: `authjs.session-token=${MARKER}.${"A".repeat(300)}` },
  });
  const outcomesForged = await fuzz(forged, actions, 3, SEED + 2);
  await signedOut.dispose();
  await forged.dispose();

  const all = [...outcomesIn, ...outcomesOut, ...outcomesForged];
  expect(all.length).toBeGreaterThanOrEqual(500);
  const failures = all.filter((o) => o.status >= 500);
  expect(failures, JSON.stringify(failures.slice(0, 10), null, 2)).toEqual([]);

  // The fuzzing session is still the developer's (no action signed it out or broke it).
  await page.goto("/board");
  await expect(page.getByTestId("current-user")).toHaveText(developer.name);
  await page.context().close();

  if (!process.env.DATABASE_URL) return;
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    const { rows: tables } = await db.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
    );
    const stored: string[] = [];
    for (const { name } of tables) {
      // Hostile text may live where the input is the point: a developer's own token name and its
      // audit row, and the throttle's count of failed sign-ins per email.
      const allowMarker = ["api_tokens", "audit_events", "auth_attempts"].includes(name);
      const { rows } = await db.query<{ n: string }>(
        `select count(*) as n from "${name}" t where t::text like '%' || chr(65533) || '%'${allowMarker ? "" : ` or t::text like '%${MARKER}%'`}`,
      );
      if (Number(rows[0]?.n) > 0) stored.push(`${name}: ${rows[0]?.n}`);
    }
    expect(stored).toEqual([]);
  } finally {
    await db.end();
  }
});
