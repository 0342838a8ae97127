// What the e2e app's fake model server was asked (see fake-model-server.ts and scenarios.ts).
const modelPort = Number(process.env.E2E_MODEL_PORT ?? Number(process.env.E2E_PORT ?? 3210) + 1);

export interface ModelRequestRecord {
  /** The `[scenario:…]` marker of the run, or null for the demo script. */
  marker: string | null;
  /** Assistant turns already in the conversation (0 = the run's first model call). */
  step: number;
  // biome-ignore lint/suspicious/noExplicitAny: specs assert freely on what the model was sent.
  body: any;
}

export async function modelRequests(): Promise<ModelRequestRecord[]> {
  const response = await fetch(`http://127.0.0.1:${modelPort}/__requests`);
  if (!response.ok) throw new Error(`fake model server answered ${response.status}`);
  return (await response.json()) as ModelRequestRecord[];
}

/** A prompt that makes the fake model play a scenario (e2e/support/scenarios.ts). */
export const scenario = (name: string, arg?: string) => `[scenario:${name}${arg ? `:${arg}` : ""}]`;

/** Lets a held reply finish (scenarios with a hold key, e.g. `[scenario:stream:KEY]`). */
export async function releaseHold(key: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${modelPort}/__release/${encodeURIComponent(key)}`, {
    method: "POST",
  });
  if (!response.ok) throw new Error(`fake model server answered ${response.status}`);
}
