/**
 * `npm run demo`: the action end to end on this machine, with no AWS account and no servers.
 * Runs the bundled action exactly as the GitHub runner would against local stand-ins:
 *   1. ECS blue/green through CodeDeploy, against the local AWS emulator (always);
 *   2. a rolling SSH deploy v1 → v2, then a broken v3 that is rolled back, on the lab's real sshd/dockerd hosts
 *      (needs Linux, root and the lab's Debian packages: `sudo bash .ci/install-lab.sh`; skipped otherwise, with why).
 * Prints each job summary rendered for the terminal, and tears everything down.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator } from '../emulator/index.js'
import { cleanupRun, DIST_ENTRY, runAction, type ActionRun } from '../__tests__/harness/run-action.js'
import { readLabAddressBook } from '../lab/address-book.js'
import { renderMarkdownForTerminal } from './terminal-markdown.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const started = Date.now()
const say = (text: string): void => console.log(text)
const banner = (text: string): void => say(`\n\u001b[1;36m━━ ${text} ━━\u001b[0m`)
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`

/** The lines a person would read in the Actions log: no workflow commands, group names as headings. */
function showLog(run: ActionRun, filter: RegExp = /./): void {
  for (const line of run.main.visibleLog.split('\n')) {
    if (line.startsWith('::group::')) say(`  ▸ ${line.slice(9)}`)
    else if (line.startsWith('::error::')) say(`  \u001b[31m✖ ${line.slice(9).replace(/%0A/g, ' ')}\u001b[0m`)
    else if (line.startsWith('::warning::')) say(`  \u001b[33m! ${line.slice(11)}\u001b[0m`)
    else if (line.startsWith('::notice::')) say(`  \u001b[32m✔ ${line.slice(10)}\u001b[0m`)
    else if (!line.startsWith('::') && line.trim() && filter.test(line)) say(`    ${line}`)
  }
}

function showSummary(run: ActionRun): void {
  say('')
  say(renderMarkdownForTerminal(run.main.summary + (run.post?.summary ?? '')))
  say(`  exit code ${String(run.main.exitCode)}, outputs: status=${run.main.outputs.status ?? ''}`)
}

async function ecsDemo(): Promise<void> {
  banner('ECS blue/green (CodeDeploy) against the local AWS emulator')
  const emulator = await startEmulator({ timings: { stepMs: 150, terminationWaitMs: 600 } })
  try {
    const run = await runAction({
      inputs: {
        strategy: 'ecs-blue-green',
        image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2',
        cluster: 'demo',
        service: 'web-bg',
        'container-name': 'web',
        'environment-variables': 'RELEASE=v2',
        'poll-interval': '250ms'
      },
      env: {
        AWS_ENDPOINT_URL: emulator.url,
        AWS_REGION: emulator.region,
        AWS_ACCESS_KEY_ID: 'demo',
        AWS_SECRET_ACCESS_KEY: 'demo'
      }
    })
    showLog(run)
    showSummary(run)
    cleanupRun(run)
  } finally {
    await emulator.close()
  }
}

/** Why the SSH lab cannot run here, or undefined when it can. */
function labUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'the lab uses Linux network namespaces'
  if (process.getuid?.() !== 0) return 'the lab needs root (network namespaces, sshd, dockerd): run `sudo npm run demo`'
  for (const bin of ['/usr/sbin/sshd', '/usr/sbin/dockerd', '/usr/bin/docker-compose', '/usr/bin/docker-registry']) {
    if (!fs.existsSync(bin))
      return `${bin} is missing: install the lab's packages with \`sudo bash .ci/install-lab.sh\``
  }
  return undefined
}

async function sshDemo(): Promise<void> {
  banner('ssh-rolling on 4 lab hosts (real sshd, dockerd, registry, docker compose)')
  const why = labUnavailable()
  if (why) {
    say(`  Skipped: ${why}.`)
    return
  }
  say('  Starting the lab (network namespaces, sshd and dockerd per host, a registry)…')
  execFileSync('bash', [path.join(ROOT, 'lab/up.sh')], { stdio: ['ignore', 'ignore', 'inherit'] })
  try {
    const lab = readLabAddressBook()
    const full = lab.hosts.filter((h) => h.kind === 'full')
    const common = {
      strategy: 'ssh-rolling',
      hosts: full.map((h) => `${h.user}@${h.address}:${h.port}`).join('\n'),
      'ssh-private-key': fs.readFileSync(lab.keys.privateKey, 'utf8'),
      'ssh-known-hosts': fs.readFileSync(lab.knownHosts.plain, 'utf8'),
      'app-dir': lab.app.dir,
      'batch-size': '2',
      'health-check-url': `http://{host}:${lab.app.port}${lab.app.healthPath}`,
      'health-check-interval': '500ms',
      'health-check-retries': '6'
    }
    say(`\n  1) Deploy ${lab.images.tags.v2} (healthy) to ${full.length} hosts, 2 at a time`)
    const good = await runAction({ inputs: { ...common, image: lab.images.tags.v2 as string } })
    showLog(good, /^(Batch|Pre-flight|Rollback|[a-z0-9-]+:)/)
    showSummary(good)
    cleanupRun(good)

    say(`\n  2) Deploy ${lab.images.tags.unhealthy} (its /health answers 500): rolled back automatically`)
    const bad = await runAction({ inputs: { ...common, image: lab.images.tags.unhealthy as string } })
    showLog(bad, /^(Batch|Pre-flight|Rollback|[a-z0-9-]+:)/)
    showSummary(bad)
    cleanupRun(bad)
  } finally {
    say('\n  Tearing the lab down…')
    spawnSync('bash', [path.join(ROOT, 'lab/down.sh')], { stdio: ['ignore', 'ignore', 'inherit'] })
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(DIST_ENTRY)) throw new Error('dist/index.js is missing: run `npm run package` first')
  say('deploy-action demo: the bundled action (dist/index.js) run as the GitHub runner runs it')
  await ecsDemo()
  await sshDemo()
  banner(`Done in ${elapsed()}`)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
