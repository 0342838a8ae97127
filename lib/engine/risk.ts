// Risky commands: an agent's patterns (regular expressions, one per line in its settings) name the bash
// commands that must wait for a person's approval before they run.

const compiled = new Map<string, RegExp | null>();

function compile(pattern: string): RegExp | null {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, "i");
    } catch {
      regex = null; // an invalid pattern matches nothing; the agent form rejects them anyway
    }
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex;
}

/**
 * The first pattern (case-insensitive) that matches the command, or null. Invalid and blank patterns
 * are skipped. Line continuations (backslash-newline) are also joined, so `rm \⏎ -rf` is still caught.
 */
export function matchRiskyPattern(command: string, patterns: readonly string[]): string | null {
  const joined = command.replace(/\\\r?\n/g, " ");
  for (const pattern of patterns) {
    if (!pattern.trim()) continue;
    const regex = compile(pattern);
    if (!regex) continue;
    if (regex.test(command) || (joined !== command && regex.test(joined))) return pattern;
  }
  return null;
}
