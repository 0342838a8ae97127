import { describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT, refuseMalformedAction } from "./action-requests";

const ID = "7f".padEnd(42, "0");

function fetchCall(body: FormData | string) {
  return new Request("http://localhost/tasks/new", {
    method: "POST",
    headers: { "next-action": ID, ...(typeof body === "string" ? { "content-type": "text/plain" } : {}) },
    body,
  });
}

function form(fields: Array<[string, string]>) {
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  return data;
}

async function statusOf(request: Request) {
  return (await refuseMalformedAction(request))?.status ?? "passed";
}

describe("server-action requests the proxy refuses before Next decodes them", () => {
  it("lets the browser's own calls through", async () => {
    // useActionState: [state, FormData]; a plain call: JSON arguments; a no-JS form post.
    expect(
      await statusOf(
        fetchCall(
          form([
            ["0", '[{"ok":false,"values":{"a":"$$5"}},"$K1"]'],
            ["1_title", "x"],
          ]),
        ),
      ),
    ).toBe("passed");
    expect(await statusOf(fetchCall('["8c1f0c1e-3b8e-4c53-9d6e-1f1f1f1f1f1f"]'))).toBe("passed");
    expect(await statusOf(fetchCall('["id","src/a.ts",3,"$undefined"]'))).toBe("passed");
    const noJs = new Request("http://localhost/tasks/new", {
      method: "POST",
      body: form([
        ["$ACTION_REF_1", ""],
        ["$ACTION_1:0", JSON.stringify({ id: ID, bound: "$@1" })],
        ["$ACTION_1:1", '[{"ok":false}]'],
        ["title", "x"],
      ]),
    });
    expect(await statusOf(noJs)).toBe("passed");
    expect(await statusOf(new Request("http://localhost/board"))).toBe("passed");
  });

  it("answers 400 for bodies Next would fail to decode with a 500", async () => {
    for (const body of [
      "[",
      "",
      '{"not":"a list"}',
      '["$B1"]', // a Blob reference
      '["$K1"]', // a FormData in a body that has none
      '["$@5"]', // a row that isn't there
      '["$A1"]',
      '["$"]',
      '["$nabc"]',
      `${"[".repeat(5000)}${"]".repeat(5000)}`,
    ]) {
      expect([body.slice(0, 20), await statusOf(fetchCall(body))]).toEqual([body.slice(0, 20), 400]);
    }
    expect(await statusOf(fetchCall(form([["1_title", "x"]])))).toBe(400); // no root row
    expect(await statusOf(fetchCall(form([["0", '["$Q2"]']])))).toBe(400);
    for (const meta of ["{", '"x"', JSON.stringify({ id: 5 }), JSON.stringify({ id: ID, bound: "$@7" })]) {
      const post = new Request("http://localhost/sign-in", {
        method: "POST",
        body: form([
          ["$ACTION_REF_1", ""],
          ["$ACTION_1:0", meta],
        ]),
      });
      expect(await statusOf(post)).toBe(400);
    }
    const response = await refuseMalformedAction(fetchCall("["));
    expect(await response?.json()).toMatchObject({ error: { code: "bad_request" } });
  });

  it("answers 413 past the size limit", async () => {
    expect(await statusOf(fetchCall(`["${"x".repeat(ACTION_BODY_LIMIT)}"]`))).toBe(413);
  });
});
