// How many runs may be active at once. Three limits apply together: the team's cap (Settings → General),
// each agent's cap (its form), and each worker process's concurrency (WORKER_CONCURRENCY, see worker.ts).
// A run over any of them waits in the queue; it is never refused.

/** The team's cap when an admin hasn't set one: as many as one default worker process takes. */
export const DEFAULT_TEAM_CONCURRENCY = 50;
/** A new agent's cap: the team's default, so one agent alone can use the whole team's capacity. */
export const DEFAULT_AGENT_CONCURRENCY = 50;
/** The highest cap either form accepts. */
export const MAX_CONCURRENCY_CAP = 1000;
