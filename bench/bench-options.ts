export interface BenchOptions {
  readonly quick: boolean;
  readonly only: readonly string[];
  readonly ledgerEvents: number;
}

/** `--quick`, `--only NAME` (repeatable or comma-separated), env BENCH_EVENTS for the large-ledger size. */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const only: string[] = [];
  let quick = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--quick') quick = true;
    else if (arg === '--only') only.push(...(argv[(i += 1)] ?? '').split(',').filter(Boolean));
    else if (arg.startsWith('--only=')) only.push(...arg.slice('--only='.length).split(',').filter(Boolean));
    else throw new Error(`unknown argument ${arg}; use --quick and --only NAME`);
  }
  const fromEnv = env.BENCH_EVENTS === undefined ? Number.NaN : Number(env.BENCH_EVENTS);
  if (env.BENCH_EVENTS !== undefined && !(Number.isInteger(fromEnv) && fromEnv >= 1_000 && fromEnv <= 5_000_000)) {
    throw new Error(`BENCH_EVENTS must be an integer from 1000 to 5000000, got ${env.BENCH_EVENTS}`);
  }
  const ledgerEvents = Number.isNaN(fromEnv) ? (quick ? 20_000 : 1_000_000) : fromEnv;
  return { quick, only, ledgerEvents };
}
