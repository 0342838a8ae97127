import { dbGeneration, listen } from "@/db";
import { RUN_DELTAS_CHANNEL, RUN_EVENTS_CHANNEL } from "./append";
import { rememberDraft } from "./live-drafts";
import { TEAM_CHANGES_CHANNEL, type TeamChange } from "./team-changes";

/** A stored event's notice ({seq}) or a live-only token delta ({delta}). */
export interface RunNotice {
  runId: string;
  teamId: string;
  seq?: number;
  /** The types of the events stored in that transaction. */
  types?: string[];
  /** The worker that stored them (absent when a person did, from the web or the API). */
  writer?: string;
  delta?: { blockIndex: number; kind: "text" | "thinking"; text: string; step: number };
}

type Listener = (notice: RunNotice) => void;
interface Subscription {
  runId?: string;
  teamId?: string;
  listener: Listener;
}

interface TeamSubscription {
  /** Absent: every team's changes (background jobs of the server, never a person's stream). */
  teamId?: string;
  listener: (change: TeamChange) => void;
}

const store = globalThis as unknown as {
  __foremanBus?: {
    subs: Set<Subscription>;
    teamSubs: Set<TeamSubscription>;
    ready?: Promise<void>;
    generation?: number;
  };
};
store.__foremanBus ??= { subs: new Set(), teamSubs: new Set() };
store.__foremanBus.teamSubs ??= new Set();
const bus = store.__foremanBus;

function dispatch(raw: string) {
  let notice: RunNotice;
  try {
    notice = JSON.parse(raw) as RunNotice;
  } catch {
    return;
  }
  // Before the listeners: a stream that subscribes from now on gets the draft up to here, then the rest.
  rememberDraft(notice);
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

function dispatchTeamChange(raw: string) {
  let change: TeamChange;
  try {
    change = JSON.parse(raw) as TeamChange;
  } catch {
    return;
  }
  for (const sub of bus.teamSubs) {
    if (sub.teamId !== undefined && sub.teamId !== change.teamId) continue;
    try {
      sub.listener(change);
    } catch (error) {
      console.error("[events] team listener failed:", error);
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
    listen(TEAM_CHANGES_CHANNEL, dispatchTeamChange),
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

/** Subscribes to "a task or run of this team changed" notices (board, inbox, sidebar badge). */
export async function subscribeTeamChanges(
  teamId: string | undefined,
  listener: (change: TeamChange) => void,
) {
  const sub: TeamSubscription = { teamId, listener };
  bus.teamSubs.add(sub);
  try {
    await ensureListening();
  } catch (error) {
    bus.teamSubs.delete(sub);
    throw error;
  }
  return () => {
    bus.teamSubs.delete(sub);
  };
}
