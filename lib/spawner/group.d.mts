export function groupAlive(pgid: number): boolean;
export function signalGroup(pgid: number, signal: NodeJS.Signals): void;
export function killGroup(pgid: number, graceMs: number): Promise<void>;
