// Refreshes driven by blocks must neither overlap (an older response would
// overwrite a newer one) nor be dropped (the block that settles a market may
// arrive while a refresh runs). coalesce runs fn one at a time; a request
// made while it runs schedules exactly one more run after it.

export function coalesce(fn: () => Promise<void>): () => Promise<void> {
  let running = false;
  let waiters: (() => void)[] = [];
  const loop = async () => {
    running = true;
    while (waiters.length > 0) {
      const batch = waiters;
      waiters = [];
      try {
        await fn();
      } catch {
        // fn shows its own errors; the next request tries again.
      }
      for (const done of batch) done();
    }
    running = false;
  };
  return () =>
    new Promise<void>((resolve) => {
      waiters.push(resolve);
      if (!running) void loop();
    });
}
