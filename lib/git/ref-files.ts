// Reading a few refs of Foreman's own clone without starting git: a run's start needs three (its base, its
// branch on the source, its branch in the clone), and on the machines Foreman runs on a git process costs
// ~10 ms of CPU (fork and exec) against microseconds for two small files. It reads what git's "files" ref
// backend writes, the only one Foreman's clones use: a loose file `<clone>/<ref>` holding the commit, else
// the ref's line in `<clone>/packed-refs`. Git replaces both by rename, so a read never sees half a write.
// Anything else (a reftable repository, a symbolic ref, a name that isn't plain, an unreadable file) is
// answered null, and the caller asks git (runner.ts) as before. The reads are synchronous: a few small
// files of the server's own data folder, where each call through the thread pool would cost more.
import fs from "node:fs";
import path from "node:path";

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
/** Plain ref names only: components of safe characters, none starting with a dot, no `..`, no `.lock`. */
const PLAIN_REF = /^refs(?:\/(?!\.)[A-Za-z0-9._+-]+)+$/;

function isPlainRef(ref: string): boolean {
  return PLAIN_REF.test(ref) && !ref.includes("..") && !/\.lock(?:\/|$)/.test(ref);
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw error;
  }
}

/** packed-refs as ref → commit (peeled `^` lines skipped); null if a line isn't what git writes. */
function parsePacked(text: string): Map<string, string> | null {
  const refs = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#") || line.startsWith("^")) continue;
    const [sha, ref, extra] = line.split(" ");
    if (!sha || !ref || extra !== undefined || !SHA.test(sha)) return null;
    refs.set(ref, sha);
  }
  return refs;
}

/**
 * The commit each of `refs` points at in the bare repository `gitDir` (missing refs left out), or null
 * when the files can't answer for sure: then ask git.
 */
export function readRefFiles(gitDir: string, refs: string[]): Map<string, string> | null {
  if (!refs.every(isPlainRef)) return null;
  try {
    const config = readOrNull(path.join(gitDir, "config"));
    if (config === null || /refstorage/i.test(config)) return null;
    const found = new Map<string, string>();
    let packed: Map<string, string> | null | undefined;
    for (const ref of refs) {
      const loose = readOrNull(path.join(gitDir, ref));
      if (loose !== null) {
        const sha = loose.trim();
        if (!SHA.test(sha)) return null; // a symbolic ref, or something git didn't write
        found.set(ref, sha);
        continue;
      }
      if (packed === undefined) {
        const text = readOrNull(path.join(gitDir, "packed-refs"));
        packed = text === null ? new Map() : parsePacked(text);
      }
      if (packed === null) return null;
      const sha = packed.get(ref);
      if (sha) found.set(ref, sha);
    }
    return found;
  } catch {
    return null; // EISDIR (a ref that is a folder of refs), EACCES …: git knows
  }
}
