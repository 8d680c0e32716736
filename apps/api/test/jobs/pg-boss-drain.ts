import { setTimeout as wait } from 'node:timers/promises';

/**
 * Waits out pg-boss's own shutdown loop before the suite ends. `stop()` resolves once pg-boss has
 * stopped, but its offWork() keeps a fire-and-forget loop checking every second that each worker's
 * poll has ended, and each turn lazily `require`s node:timers/promises. Under jest, a turn that
 * falls after the suite's module registry is torn down throws ("Cannot destructure property
 * 'setTimeout' of require(...)") into whichever suite the worker process runs next (seen with two
 * jest workers). This is not a test sequenced by time: no assertion waits on it. Five turns of that
 * loop let it see the stopped workers and exit while this suite's modules still exist: with five
 * queues (storage and peers joined mail, reminders and housekeeping) on a loaded CI machine, two
 * turns were once not enough.
 */
export const drainPgBossShutdown = (): Promise<void> => wait(5_000);
