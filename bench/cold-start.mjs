#!/usr/bin/env node
// Cold start of the bundled action on Node 24: `node dist/index.js` to its first validation error, against bare
// `node -e 0` in the same run. Median of N runs; peak RSS from /usr/bin/time when the machine has it.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { node24Path } from '../scripts/node24.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const entry = path.join(root, 'dist', 'index.js')
const node = node24Path()
const hasTime = fs.existsSync('/usr/bin/time')

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Runs a command `runs` times; returns the median wall time (ms) and the median peak RSS (MiB). */
function measure(args, env, runs) {
  const times = []
  const rss = []
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cold-'))
  const files = { GITHUB_OUTPUT: path.join(tmp, 'o'), GITHUB_STATE: path.join(tmp, 's') }
  for (let i = 0; i < runs; i++) {
    for (const f of Object.values(files)) fs.writeFileSync(f, '')
    const cmd = hasTime ? '/usr/bin/time' : node
    const argv = hasTime ? ['-f', '%M', node, ...args] : args
    const started = process.hrtime.bigint()
    const result = spawnSync(cmd, argv, { env: { PATH: process.env.PATH, ...files, ...env }, encoding: 'utf8' })
    times.push(Number(process.hrtime.bigint() - started) / 1e6)
    if (hasTime) rss.push(Number(result.stderr.trim().split('\n').pop()) / 1024)
  }
  fs.rmSync(tmp, { recursive: true, force: true })
  return { ms: median(times), rssMiB: hasTime ? median(rss) : undefined }
}

export function coldStart(runs = 15) {
  measure(['-e', '0'], {}, 2) // warm the page cache
  const bare = measure(['-e', '0'], {}, runs)
  const cases = {
    'no inputs (first validation error)': {},
    'ssh-rolling, bad hosts line': { INPUT_STRATEGY: 'ssh-rolling', INPUT_IMAGE: 'app:v1', INPUT_HOSTS: 'a b' },
    'ecs-rolling, missing service': {
      INPUT_STRATEGY: 'ecs-rolling',
      INPUT_IMAGE: 'app:v1',
      INPUT_AWS_REGION: 'us-east-1'
    }
  }
  const rows = [{ case: 'bare node -e 0', ms: bare.ms, rssMiB: bare.rssMiB, ratio: 1 }]
  for (const [name, env] of Object.entries(cases)) {
    const m = measure([entry], env, runs)
    rows.push({ case: name, ms: m.ms, rssMiB: m.rssMiB, ratio: m.ms / bare.ms })
  }
  return { node: spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim(), runs, rows }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.argv[2] ?? 15)
  const result = coldStart(runs)
  console.log(`Cold start on Node ${result.node}, median of ${runs} runs`)
  for (const r of result.rows) {
    const rss = r.rssMiB === undefined ? 'n/a' : `${r.rssMiB.toFixed(1)} MiB`
    console.log(`  ${r.case.padEnd(40)} ${r.ms.toFixed(1).padStart(7)} ms  ${r.ratio.toFixed(2)}× bare  RSS ${rss}`)
  }
}
