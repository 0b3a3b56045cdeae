import type { ChildMessage } from './child.js';

/** Inside a bench child: sends a message to the orchestrator (no-op when run by hand). */
export function toParent(message: ChildMessage): void {
  process.send?.(message);
}

/** Inside a bench child: runs `handler` for each command of the orchestrator; a throw is reported as `fatal`. */
export function onParent(handler: (message: ChildMessage) => Promise<void> | void): void {
  process.on('message', (m) => {
    Promise.resolve()
      .then(() => handler(m as ChildMessage))
      .catch((error: unknown) => fail(error));
  });
  process.on('disconnect', () => process.exit(0));
  // A clean exit on stop, so a child run with --cpu-prof writes its profile.
  process.on('SIGTERM', () => process.exit(0));
}

/** Reports a fatal error to the orchestrator and exits. */
export function fail(error: unknown): void {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`[bench child ${process.pid}] ${message}\n`);
  toParent({ type: 'fatal', message });
  setTimeout(() => process.exit(1), 50);
}

/** Resolves after `ms` (bench children only: never in library code). */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
