// The engine thread's first module (lib/queue/engine-thread.ts starts it). Plain JavaScript so that Node loads
// it as it is under `next start`, whose bundle holds none of the engine: tsx then compiles the engine's
// TypeScript as `npm run worker` does, under the react-server condition the thread was started with.
import { register } from "tsx/esm/api";

register();
await import("./engine-thread-main.ts");
