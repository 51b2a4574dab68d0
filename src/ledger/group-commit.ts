/**
 * Serialises work through one ordering point and batches whatever arrives while a flush runs:
 * callers that come in during a commit share the next one (group commit), so many small
 * appends cost one transaction and one fsync.
 */
export interface GroupCommit<J, O> {
  submit(job: J): Promise<O>;
}

interface Pending<J, O> {
  readonly job: J;
  resolve(outcome: O): void;
  reject(error: unknown): void;
}

export function createGroupCommit<J, O>(
  flush: (jobs: readonly J[]) => Promise<O[]>,
  sizeOf: (job: J) => number,
  maxItems = 5_000,
): GroupCommit<J, O> {
  const queue: Array<Pending<J, O>> = [];
  let running = false;

  function take(): Array<Pending<J, O>> {
    const taken: Array<Pending<J, O>> = [];
    let count = 0;
    while (queue.length > 0 && (taken.length === 0 || count + sizeOf((queue[0] as Pending<J, O>).job) <= maxItems)) {
      const next = queue.shift() as Pending<J, O>;
      taken.push(next);
      count += sizeOf(next.job);
    }
    return taken;
  }

  async function run(taken: ReadonlyArray<Pending<J, O>>): Promise<void> {
    try {
      const results = await flush(taken.map((pending) => pending.job));
      taken.forEach((pending, i) => pending.resolve(results[i] as O));
    } catch (error) {
      if (taken.length === 1) {
        taken[0]?.reject(error);
        return;
      }
      // one bad job must not fail its neighbours: retry each alone
      for (const pending of taken) await run([pending]);
    }
  }

  async function drain(): Promise<void> {
    running = true;
    while (queue.length > 0) await run(take());
    running = false;
  }

  return {
    submit(job) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ job, resolve, reject });
        if (!running) void drain();
      });
    },
  };
}
