import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openEntry, openRoot, readAllBytes } from "./no-follow";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "foreman-no-follow-test-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Opens `name` the editor's way, takes its size, lets `grow` append to it, then reads it. */
async function readAfterGrowth(name: string, content: Buffer, more: Buffer): Promise<Buffer> {
  fs.writeFileSync(path.join(dir, name), content);
  const root = openRoot(dir);
  try {
    const file = openEntry(root, name, name);
    if (!file) throw new Error("not opened");
    try {
      const { size } = file.stat();
      fs.appendFileSync(path.join(dir, name), more);
      return await readAllBytes(file, size);
    } finally {
      file.close();
    }
  } finally {
    root.close();
  }
}

describe("readAllBytes", () => {
  it("reads a small file that grew after its fstat whole", async () => {
    const bytes = await readAfterGrowth("small.txt", Buffer.from("first\n"), Buffer.from("second\n"));
    expect(bytes.toString()).toBe("first\nsecond\n");
  });

  it("reads a large file (past the synchronous limit) that grew after its fstat whole", async () => {
    const first = Buffer.alloc(3 * 1024 * 1024 + 17, "a");
    const more = Buffer.alloc(1024 * 1024 + 5, "b");
    const bytes = await readAfterGrowth("large.txt", first, more);
    expect(bytes.length).toBe(first.length + more.length);
    expect(bytes.subarray(0, first.length).equals(first)).toBe(true);
    expect(bytes.subarray(first.length).equals(more)).toBe(true);
  });

  it("reads a file that did not grow in one read, exactly its size", async () => {
    const content = Buffer.from("x".repeat(5000));
    const bytes = await readAfterGrowth("same.txt", content, Buffer.alloc(0));
    expect(bytes.equals(content)).toBe(true);
  });
});
