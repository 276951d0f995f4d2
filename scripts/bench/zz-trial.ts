import { runSteadyState, spread } from '/work/wt-cost/scripts/bench/steady-state.ts';
import { startEmulator } from '/work/wt-cost/scripts/emulator/index.ts';

const users = Number(process.argv[2] ?? 300);
const nights = Number(process.argv[3] ?? 12);
const emulator = await startEmulator({ log: () => {} });
try {
  const r = await runSteadyState(
    emulator,
    { users, nights, now: new Date(Math.floor(Date.now() / 1000) * 1000) },
    (l) => console.log(l),
  );
  const rest = r.nights.slice(1);
  console.log(
    'handler',
    spread(rest.map((n) => n.handlerIam)),
    'naive',
    spread(rest.map((n) => n.naiveIam)),
    'floor',
    spread(rest.map((n) => n.floorIam)),
  );
  console.log(JSON.stringify(rest.map((n) => n.requestsByAction).slice(-3)));
} finally {
  await emulator.stop();
}
