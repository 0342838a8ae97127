// Named holds for the fake model server: a scenario's reply streams up to its end and waits there until a
// test releases it (POST /__release/KEY), so a spec can look at a run mid-reply without racing a timer.

/** A hold nobody releases ends by itself, so a failed spec never leaves a run waiting forever. */
const MAX_HOLD_MS = 120_000;

const holds = new Map<string, { promise: Promise<void>; release: () => void }>();

function entry(key: string) {
  let found = holds.get(key);
  if (!found) {
    let release = () => {};
    const promise = new Promise<void>((resolve) => {
      release = resolve;
    });
    found = { promise, release };
    holds.set(key, found);
  }
  return found;
}

/** What a scenario step awaits: resolves once KEY is released (at once if it already was). */
export function holdUntilReleased(key: string): () => Promise<void> {
  return () =>
    Promise.race([entry(key).promise, new Promise<void>((resolve) => setTimeout(resolve, MAX_HOLD_MS))]);
}

export function release(key: string): void {
  entry(key).release();
}
