/**
 * Serialises work through one ordering point and batches whatever arrives while a flush runs:
 * callers that come in during a commit share the next one (group commit), so many small
 * appends cost one transaction and one fsync.
 */
export interface GroupCommit<I, O> {
  submit(items: readonly I[]): Promise<O[]>;
}

interface Pending<I, O> {
  readonly items: readonly I[];
  resolve(outcomes: O[]): void;
  reject(error: unknown): void;
}

export function createGroupCommit<I, O>(
  flush: (groups: ReadonlyArray<readonly I[]>) => Promise<O[][]>,
  maxItems = 5_000,
): GroupCommit<I, O> {
  let queue: Array<Pending<I, O>> = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    while (queue.length > 0) {
      const taken: Array<Pending<I, O>> = [];
      let count = 0;
      while (queue.length > 0 && (taken.length === 0 || count + (queue[0] as Pending<I, O>).items.length <= maxItems)) {
        const next = queue.shift() as Pending<I, O>;
        taken.push(next);
        count += next.items.length;
      }
      try {
        const results = await flush(taken.map((pending) => pending.items));
        taken.forEach((pending, i) => pending.resolve(results[i] as O[]));
      } catch (error) {
        // one bad group must not fail its neighbours: retry each alone
        if (taken.length > 1) {
          queue = [...taken, ...queue];
          await flushEachAlone(taken.length);
        } else {
          taken[0]?.reject(error);
        }
      }
    }
    running = false;
  }

  async function flushEachAlone(count: number): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      const pending = queue.shift() as Pending<I, O>;
      try {
        const [result] = await flush([pending.items]);
        pending.resolve(result as O[]);
      } catch (error) {
        pending.reject(error);
      }
    }
  }

  return {
    submit(items) {
      if (items.length === 0) return Promise.resolve([]);
      return new Promise<O[]>((resolve, reject) => {
        queue.push({ items, resolve, reject });
        if (!running) void drain();
      });
    },
  };
}
