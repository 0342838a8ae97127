// Where a local repository source may be. Foreman's agents work in clones of the source and merges land
// back in it, so a source must never be Foreman's own data folder (its database, its clones of other
// teams' repositories) or its own app folder, nor a folder inside or around either. When the admin sets
// FOREMAN_REPO_ROOTS, local sources must also be inside one of those folders. Paths are compared after
// resolving symlinks, so a link into the data folder is refused like the folder itself.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { dataDir } from "@/db";
import { demoRepoDir } from "@/lib/demo/workspace";
import { GitSourceError, type NormalizedSource, normalizeSource } from "@/lib/git/remote";
import { isUuid } from "@/lib/ids";

/** The folders FOREMAN_REPO_ROOTS names (absolute), or null when it is unset or empty. */
export function configuredRepoRoots(): string[] | null {
  const roots = (process.env.FOREMAN_REPO_ROOTS ?? "")
    .split(path.delimiter)
    .map((root) => root.trim())
    .filter(Boolean)
    .map((root) => path.resolve(root));
  return roots.length > 0 ? roots : null;
}

/**
 * Checks a source before Foreman reads or clones it: local paths and file:// URLs against the rules
 * above; other URLs pass. Throws GitSourceError with a sentence a person can act on. The engine calls
 * this before cloning; pass the repository's team so its demo repository stays allowed.
 */
export async function assertSourceAllowed(
  source: string,
  options: { teamId?: string } = {},
): Promise<NormalizedSource> {
  const normalized = normalizeSource(source);
  const local = localPathOf(normalized);
  if (local !== null) await assertLocalSourceAllowed(local, options);
  return normalized;
}

/** The folder a file:// URL points to (git reads it like a local path), or the local path itself. */
function localPathOf(source: NormalizedSource): string | null {
  if (source.kind === "local") return source.location;
  if (!/^file:\/\//i.test(source.location)) return null;
  try {
    return fileURLToPath(source.location);
  } catch {
    throw new GitSourceError(
      `'${source.location}' isn't a file:// URL of this server: use file:///path/to/repo, or the path itself.`,
    );
  }
}

/** Throws GitSourceError when the absolute local path `location` may not be a repository source. */
export async function assertLocalSourceAllowed(
  location: string,
  options: { teamId?: string } = {},
): Promise<void> {
  const real = realPath(location);
  const shown = real === location ? location : `${location} (which is ${real})`;
  if (isDemoRepo(real, options.teamId)) return;

  const protectedFolders = [
    { what: "its own data folder", folder: realPath(dataDir()) },
    { what: "its own app folder", folder: realPath(process.cwd()) },
  ];
  for (const { what, folder } of protectedFolders) {
    if (isInside(real, folder)) {
      throw new GitSourceError(
        real === folder
          ? `Foreman can't use ${what} (${folder}) as a repository source.`
          : `Foreman can't use a folder inside ${what} (${folder}) as a repository source: ${shown}. Register the original repository instead.`,
      );
    }
    if (isInside(folder, real)) {
      throw new GitSourceError(
        `${shown} contains Foreman's ${what.replace("its own ", "")} (${folder}), so it can't be a repository source. Choose the repository's own folder.`,
      );
    }
  }

  const roots = configuredRepoRoots();
  if (!roots) return;
  const realRoots = roots.map((root) => realPath(root));
  if (!realRoots.some((root) => isInside(real, root))) {
    throw new GitSourceError(
      `Local sources must be inside one of FOREMAN_REPO_ROOTS: ${roots.join(", ")}. ${shown} isn't; move or clone the repository there, or use a clone URL.`,
    );
  }
}

/**
 * The demo repository Foreman creates in its data folder is the one exception. With a team, only that
 * team's; without (a caller that doesn't know the team), any team's dataDir()/demo/<team id>/demo-calculator.
 */
function isDemoRepo(real: string, teamId?: string): boolean {
  if (teamId) return real === realPath(demoRepoDir(teamId));
  const parts = path.relative(realPath(path.join(dataDir(), "demo")), real).split(path.sep);
  const team = parts[0] ?? "";
  return parts.length === 2 && isUuid(team) && real === realPath(demoRepoDir(team));
}

/** `child` is `parent` or somewhere below it. */
function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return (
    relative === "" ||
    (relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
  );
}

/**
 * The path with every symlink resolved. A path that doesn't exist (yet) resolves its nearest existing
 * parent, so a link to a missing folder inside the data folder is still recognised. Synchronous: each is
 * one realpath(3) of a local path, cheaper than the thread pool's round trip (the engine checks a source
 * at every run's start).
 */
function realPath(location: string, depth = 0): string {
  const absolute = path.resolve(location);
  try {
    return fs.realpathSync.native(absolute);
  } catch {
    // A dangling symlink: follow it by hand (a few hops at most, in case of a loop).
    const target = depth < 8 ? readLink(absolute) : null;
    if (target !== null) return realPath(path.resolve(path.dirname(absolute), target), depth + 1);
    const parent = path.dirname(absolute);
    if (parent === absolute) return absolute;
    // A runtime path (a repository's source), never a file of the app: nothing for the bundler to trace.
    return path.join(/* turbopackIgnore: true */ realPath(parent, depth), path.basename(absolute));
  }
}

function readLink(file: string): string | null {
  try {
    return fs.readlinkSync(file);
  } catch {
    return null;
  }
}
