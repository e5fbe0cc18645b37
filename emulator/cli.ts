/**
 * Runs the emulator as a process: `npx tsx emulator/cli.ts --port 4566`.
 * Prints its URL as the first line on stdout; logs go to stderr. Stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util'
import { startEmulator } from './server.js'

const USAGE = `Usage: tsx emulator/cli.ts [--port 4566] [--host 127.0.0.1] [--region us-east-1]
  [--fixture standard|none] [--step-ms N] [--termination-wait-ms N] [--rolling-ms N] [--ready-timeout-ms N] [--verbose]`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4566' },
      host: { type: 'string', default: '127.0.0.1' },
      region: { type: 'string', default: 'us-east-1' },
      fixture: { type: 'string', default: 'standard' },
      'step-ms': { type: 'string' },
      'termination-wait-ms': { type: 'string' },
      'rolling-ms': { type: 'string' },
      'ready-timeout-ms': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false }
    }
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  const number = (name: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined
    const n = Number(value)
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got '${value}'`)
    return n
  }
  const timings = Object.fromEntries(
    Object.entries({
      stepMs: number('step-ms', values['step-ms']),
      terminationWaitMs: number('termination-wait-ms', values['termination-wait-ms']),
      rollingCompletionMs: number('rolling-ms', values['rolling-ms']),
      readyTimeoutMs: number('ready-timeout-ms', values['ready-timeout-ms'])
    }).filter(([, v]) => v !== undefined)
  )
  const emulator = await startEmulator({
    port: number('port', values.port) ?? 4566,
    host: values.host,
    region: values.region,
    fixture: values.fixture,
    timings,
    verbose: values.verbose
  })
  console.log(emulator.url)
  console.error(
    `AWS emulator (ECS, CodeDeploy) listening on ${emulator.url}, region ${emulator.region}, fixture ${values.fixture}`
  )
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(`emulator: ${(error as Error).message}`)
  console.error(USAGE)
  process.exit(1)
})
