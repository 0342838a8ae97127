import { dbGeneration, listen } from "@/db";
import { RUN_DELTAS_CHANNEL, RUN_EVENTS_CHANNEL } from "./append";

/** A stored event's notice ({seq}) or a live-only token delta ({delta}). */
export interface RunNotice {
  runId: string;
  teamId: string;
  seq?: number;
  /** The types of the events stored in that transaction. */
  types?: string[];
  delta?: { blockIndex: number; kind: "text" | "thinking"; text: string; step: number };
}

type Listener = (notice: RunNotice) => void;
interface Subscription {
  runId?: string;
  teamId?: string;
  listener: Listener;
}

const store = globalThis as unknown as {
  __foremanBus?: { subs: Set<Subscription>; ready?: Promise<void>; generation?: number };
};
store.__foremanBus ??= { subs: new Set() };
const bus = store.__foremanBus;

function dispatch(raw: string) {
  let notice: RunNotice;
  try {
    notice = JSON.parse(raw) as RunNotice;
  } catch {
    return;
  }
  for (const sub of bus.subs) {
    if (sub.runId && sub.runId !== notice.runId) continue;
    if (sub.teamId && sub.teamId !== notice.teamId) continue;
    try {
      sub.listener(notice);
    } catch (error) {
      console.error("[events] listener failed:", error);
    }
  }
}

/** One LISTEN connection per process, fanned out to every subscriber in it. */
function ensureListening(): Promise<void> {
  if (bus.generation !== dbGeneration()) bus.ready = undefined;
  bus.generation = dbGeneration();
  bus.ready ??= Promise.all([
    listen(RUN_EVENTS_CHANNEL, dispatch),
    listen(RUN_DELTAS_CHANNEL, dispatch),
  ]).then(
    () => undefined,
    (error) => {
      bus.ready = undefined;
      throw error;
    },
  );
  return bus.ready;
}

/** Subscribes to one run's (or one team's) notices; resolves once listening, returns the unsubscribe. */
export async function subscribe(filter: { runId?: string; teamId?: string }, listener: Listener) {
  const sub: Subscription = { ...filter, listener };
  bus.subs.add(sub);
  try {
    await ensureListening();
  } catch (error) {
    bus.subs.delete(sub);
    throw error;
  }
  return () => {
    bus.subs.delete(sub);
  };
}
