// The one place that builds the Anthropic client. Everything else in the engine takes an `Anthropic`
// instance, so the real API, any Anthropic-compatible endpoint, the offline demo model and the tests'
// fake Messages API server all run the same SDK code path; only the network underneath changes.
import Anthropic from "@anthropic-ai/sdk";

/** A `fetch` the SDK can use in place of the network (the offline demo model, tests). */
export type ModelFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface ModelClientOptions {
  /** API key. Falls back to ANTHROPIC_API_KEY; one of the two is required. */
  apiKey?: string;
  /** Any Anthropic-compatible endpoint. Defaults to https://api.anthropic.com (never read from env here). */
  baseURL?: string;
  /** Replaces the network: the SDK sends every request through it. */
  fetch?: ModelFetch;
  /** The SDK's own retries for 408/409/429/5xx and connection errors (SDK default 2). */
  maxRetries?: number;
  /** Per-request timeout in milliseconds (SDK default 10 minutes). */
  timeout?: number;
}

/** The key the offline demo client is built with: it never leaves the process. */
export const DEMO_API_KEY = "foreman-offline-demo";

export class ModelNotConfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelNotConfiguredError";
  }
}

type Env = Record<string, string | undefined>;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * Builds an Anthropic client from explicit options. Credentials are always passed explicitly, so the
 * SDK never falls back to its ambient credential chain (profiles on disk, auth tokens).
 */
export function createModelClient(options: ModelClientOptions = {}): Anthropic {
  const apiKey = nonEmpty(options.apiKey) ?? nonEmpty(process.env.ANTHROPIC_API_KEY);
  if (!apiKey) {
    throw new ModelNotConfiguredError(
      "No Anthropic API key: pass apiKey or set ANTHROPIC_API_KEY (or use the offline demo model).",
    );
  }
  return new Anthropic({
    apiKey,
    // null (not undefined) keeps the SDK from reading ANTHROPIC_BASE_URL behind our back.
    baseURL: nonEmpty(options.baseURL) ?? null,
    fetch: options.fetch,
    maxRetries: options.maxRetries,
    timeout: options.timeout,
  });
}

/** Whether a real model is configured (ANTHROPIC_API_KEY is set and not blank). */
export function hasRealModel(env: Env = process.env): boolean {
  return nonEmpty(env.ANTHROPIC_API_KEY) !== undefined;
}

export interface ModelClientFromEnvOptions {
  maxRetries?: number;
  timeout?: number;
  /** Defaults to process.env (tests pass their own). */
  env?: Env;
}

/** Why a real model can't be called: the message names the variable to set. */
export const NO_API_KEY_MESSAGE =
  "No ANTHROPIC_API_KEY is configured, so no real model can be called. Set ANTHROPIC_API_KEY (and optionally ANTHROPIC_BASE_URL) and restart Foreman, or use the Demo (offline) agent.";

/**
 * The real model's client: ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL. Throws ModelNotConfiguredError when no
 * key is configured — never a silent fallback to the offline demo (only the demo agent's model is the demo).
 */
export function modelClientFromEnv(options: ModelClientFromEnvOptions = {}): Anthropic {
  const env = options.env ?? process.env;
  const apiKey = nonEmpty(env.ANTHROPIC_API_KEY);
  if (!apiKey) throw new ModelNotConfiguredError(NO_API_KEY_MESSAGE);
  return createModelClient({
    apiKey,
    baseURL: nonEmpty(env.ANTHROPIC_BASE_URL),
    maxRetries: options.maxRetries,
    timeout: options.timeout,
  });
}
