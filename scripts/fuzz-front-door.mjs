// `npm run fuzz`: the front-door property test with many more generated requests and a random
// seed (printed, so a failure can be replayed with FRONT_DOOR_SEED=<seed>).
import { spawnSync } from 'node:child_process';

const seed = process.env.FRONT_DOOR_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const runs = process.env.FRONT_DOOR_RUNS ?? '3000';
process.stdout.write(`front-door fuzz: ${runs} requests, seed ${seed}\n`);
const result = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'test/server/front-door.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, FRONT_DOOR_SEED: seed, FRONT_DOOR_RUNS: runs },
});
process.exit(result.status ?? 1);
