// Which models Anthropic retires and when, in one place, and what a new agent should get instead.
import { SUGGESTED_MODELS } from "./catalogue";

/**
 * Retirement dates (UTC) of models Anthropic has deprecated. After its date a request to the model
 * fails. Source: @anthropic-ai/sdk's DEPRECATED_MODELS (resources/messages/messages.js, which warns on
 * every request to these ids) and platform.claude.com/docs/en/about-claude/model-deprecations,
 * checked 2026-11-27. lifecycle.test.ts reads the installed SDK's list and fails when an SDK upgrade
 * deprecates a model this table does not know.
 */
export const MODEL_RETIREMENTS: Record<string, string> = {
  "claude-sonnet-4-5": "2026-11-30",
  "claude-sonnet-4-5-20250929": "2026-11-30",
};

export interface Retirement {
  model: string;
  /** YYYY-MM-DD, UTC. */
  date: string;
  /** The date has passed: requests to the model fail. */
  retired: boolean;
}

const DAY_MS = 86_400_000;

export function retirementOf(model: string, now: Date = new Date()): Retirement | null {
  const date = MODEL_RETIREMENTS[model];
  if (!date) return null;
  // The model works through its retirement day; from the next day on it is gone.
  return { model, date, retired: now.getTime() >= Date.parse(`${date}T00:00:00Z`) + DAY_MS };
}

/** "30 Nov 2026" */
export function formatRetirementDate(date: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${date}T00:00:00Z`));
}

/** The calm warning shown beside an agent whose model retires, or null. */
export function retirementNotice(model: string, now: Date = new Date()): string | null {
  const retirement = retirementOf(model, now);
  if (!retirement) return null;
  const when = formatRetirementDate(retirement.date);
  return retirement.retired
    ? `${model} retired on ${when}: its runs fail. Switch this agent to a current model.`
    : `${model} retires on ${when} — switch this agent to a current model.`;
}

/**
 * The model a new agent starts with, from the team's catalogue: the first suggested current model the
 * team has, else the first model that is not retiring, else the first model.
 */
export function suggestModel(models: string[], now: Date = new Date()): string {
  return (
    SUGGESTED_MODELS.find((model) => models.includes(model)) ??
    models.find((model) => !retirementOf(model, now)) ??
    models[0] ??
    ""
  );
}
