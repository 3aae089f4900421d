// Runs every benchmark (bench/<area>/main.ts) one after another, or only the areas named:
//   npm run bench                 all
//   npm run bench -- runtime lsp  some
// Each prints its own table with ratios against the real tool it is compared with, measured in the same run.
import { readdirSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const wanted = process.argv.slice(2);
const areas = readdirSync('bench', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`bench/${d.name}/main.ts`))
  .map((d) => d.name)
  .filter((name) => wanted.length === 0 || wanted.includes(name));
let failed = 0;
for (const area of areas) {
  console.log(`\n=== bench/${area} ===`);
  const child = spawnSync(process.execPath, ['scripts/run-ts.mjs', `bench/${area}/main.ts`], { stdio: 'inherit' });
  if (child.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
