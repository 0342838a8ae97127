// A background job that runs shortly after start and then at an interval, one pass at a time: a pass still
// running when the next is due is skipped. It never throws; a failed pass is logged under its name.

export interface PeriodicOptions {
  /** Delay before the first pass. */
  firstAfterMs: number;
  /** Between passes. */
  everyMs: number;
}

/** Starts `pass` on its schedule; returns the function that stops it. */
export function startPeriodic(name: string, pass: () => Promise<void>, options: PeriodicOptions): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await pass();
    } catch (error) {
      console.error(`[${name}]`, error instanceof Error ? error.message : error);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void run(), options.firstAfterMs);
  const every = setInterval(() => void run(), options.everyMs);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
