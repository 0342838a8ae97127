import { describe, expect, it } from "vitest";
import { anchorComment, snapshotOf } from "./anchor";

const FILE = [
  "export function add(a, b) {",
  "  return a + b;",
  "}",
  "",
  "export function multiply(a, b) {",
  "  return a * b;",
  "}",
  "",
].join("\n");

describe("snapshotOf", () => {
  it("keeps the commented lines and the numbered code around them", () => {
    const snap = snapshotOf(FILE, 5, 6);
    expect(snap.lineText).toBe("export function multiply(a, b) {\n  return a * b;");
    expect(snap.context).toContain("> 6 |   return a * b;");
    expect(snap.context).toContain("  2 |   return a + b;");
  });
  it("keeps nothing for a line past the end or a file that can't be read", () => {
    expect(snapshotOf(FILE, 20, 20)).toEqual({ lineText: null, context: null });
    expect(snapshotOf(null, 1, 1)).toEqual({ lineText: null, context: null });
  });
});

describe("anchorComment", () => {
  const on = (lineStart: number, lineEnd = lineStart) => ({
    lineStart,
    lineEnd,
    lineText: snapshotOf(FILE, lineStart, lineEnd).lineText,
  });

  it("stays where it was when its lines are unchanged", () => {
    expect(anchorComment(on(5, 6), FILE)).toEqual({ state: "current", lineStart: 5, lineEnd: 6 });
  });

  it("moves with its lines when code is inserted above them", () => {
    const moved = `// header\n// more\n${FILE}`;
    expect(anchorComment(on(5, 6), moved)).toEqual({ state: "moved", lineStart: 7, lineEnd: 8 });
  });

  it("is outdated when the agent changed the line", () => {
    const changed = FILE.replace("return a * b;", "return b * a;");
    expect(anchorComment(on(6), changed)).toEqual({ state: "outdated", lineStart: 6, lineEnd: 6 });
    // A range is outdated when any of its lines changed.
    expect(anchorComment(on(5, 6), changed).state).toBe("outdated");
  });

  it("re-anchors on the nearest copy when the same lines appear twice", () => {
    const twice = `}\n${FILE}`; // "}" now at 1, 4 and 8
    expect(anchorComment(on(3), twice)).toEqual({ state: "moved", lineStart: 4, lineEnd: 4 });
  });

  it("never re-anchors a blank line, and is outdated when its file is gone", () => {
    expect(anchorComment(on(4), `x\n${FILE}`).state).toBe("outdated");
    expect(anchorComment(on(2), null).state).toBe("outdated");
  });

  it("leaves a comment with nothing kept (written before snapshots) where it was", () => {
    expect(anchorComment({ lineStart: 2, lineEnd: 2, lineText: null }, "other")).toEqual({
      state: "current",
      lineStart: 2,
      lineEnd: 2,
    });
  });
});
