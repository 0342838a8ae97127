import { describe, expect, it } from "vitest";
import { liveDraft, rememberDraft } from "./live-drafts";

const notice = (runId: string, extra: object) => ({ runId, teamId: "t", ...extra });

describe("live drafts", () => {
  it("builds each run's reply from its deltas and forgets it once the reply is stored or the run ends", () => {
    rememberDraft(notice("a", { delta: { blockIndex: 0, kind: "text", text: "Hel", step: 1 } }));
    rememberDraft(notice("b", { delta: { blockIndex: 0, kind: "text", text: "Other", step: 4 } }));
    rememberDraft(notice("a", { delta: { blockIndex: 0, kind: "text", text: "lo", step: 1 } }));
    expect(liveDraft("a")).toEqual({ step: 1, blocks: [{ blockIndex: 0, kind: "text", text: "Hello" }] });
    rememberDraft(notice("a", { seq: 5, types: ["assistant_message", "tool_call"] }));
    expect(liveDraft("a")).toBeNull();
    expect(liveDraft("b")?.blocks[0]?.text).toBe("Other");
    rememberDraft(notice("b", { seq: 9, types: ["tool_result"] }));
    expect(liveDraft("b")).not.toBeNull();
    rememberDraft(notice("b", { seq: 10, types: ["run_finished"] }));
    expect(liveDraft("b")).toBeNull();
  });
});
