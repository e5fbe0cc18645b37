#!/usr/bin/env node
// Cold start only: `node bench/cold-start.mjs [runs]` = `npm run bench -- --parts cold --runs <runs>` (default 15).
// Kept as the short entry point it always was; the measurement lives in bench/cold-start.ts (see bench/README.md).
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { node24Path } from '../scripts/node24.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const runs = process.argv[2] ?? '15'
const result = spawnSync(
  node24Path(),
  ['--import', 'tsx', path.join(root, 'bench', 'run.ts'), '--parts', 'cold', '--runs', runs, ...process.argv.slice(3)],
  { cwd: root, stdio: 'inherit' }
)
if (result.error) throw result.error
process.exit(result.status ?? 1)
