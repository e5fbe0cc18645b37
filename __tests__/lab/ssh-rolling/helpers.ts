/**
 * Shared setup of the ssh-rolling lab tests: the bundled action (dist/index.js, main then post, as the runner runs
 * it) against the lab's real sshd, dockerd, registry and compose v1 hosts; a fast reset of the fleet to v1 before
 * each test; and readers of what each host really runs (docker inspect, /app/.env, the lock and the audit log).
 */
import { afterAll, beforeEach, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import YAML from 'yaml'
import { readLabAddressBook, type LabAddressBook, type LabHost } from '../../../lab/address-book.js'
import { cleanupRun, runAction, type ActionRun, type RunOptions } from '../../harness/run-action.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const LAB_DIR = path.join(ROOT, 'lab')
const run = promisify(execFile)

let book: LabAddressBook | undefined
let bookError: unknown
try {
  book = readLabAddressBook()
} catch (error) {
  bookError = error
}

/** Why the lab tests cannot run (no address book, not root), or undefined when they can. */
export const labUnavailable: string | undefined = !book
  ? `The SSH lab is not up. ${bookError instanceof Error ? bookError.message : String(bookError)}`
  : process.getuid?.() !== 0
    ? 'The lab tests need root (they cut links, stop sshd and read the hosts’ files)'
    : book.hosts.filter((h) => h.kind === 'full').length < 4
      ? 'The ssh-rolling lab tests need 4 full hosts (`npm run lab:up`)'
      : undefined

/** The address book; throws when the lab is not up (tests check `labUnavailable` first). */
export function lab(): LabAddressBook {
  if (!book) throw new Error(labUnavailable)
  return book
}

/** The full hosts h1..h4. */
export function fleet(): LabHost[] {
  return lab()
    .hosts.filter((h) => h.kind === 'full')
    .slice(0, 4)
}

export function host(name: string): LabHost {
  const found = fleet().find((h) => h.name === name)
  if (!found) throw new Error(`no full lab host ${name}`)
  return found
}

/** How the action's `hosts` input names a lab host (and so how outputs and reports name it). */
export function spec(h: LabHost): string {
  return h.port === 22 ? `${h.user}@${h.address}` : `${h.user}@${h.address}:${h.port}`
}

/** The lab host an output or report name refers to. */
export function nameOf(specOrName: string): string {
  const found = fleet().find((h) => spec(h) === specOrName)
  return found ? found.name : specOrName
}

/** A comma-separated hosts output as lab host names, sorted. */
export function names(output: string | undefined): string[] {
  return (output ?? '').split(',').filter(Boolean).map(nameOf).sort()
}

export function tag(name: string): string {
  return `${lab().images.repository}:${name}`
}

export const V1 = (): string => tag('v1')
export const V2 = (): string => tag('v2')

// ---------------------------------------------------------------------------------------------------------------
// Shell helpers (root namespace; lab addresses are reached through the lab veth only)

export async function sh(command: string, timeoutMs = 60_000): Promise<string> {
  const { stdout } = await run('bash', ['-c', command], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 })
  return stdout
}

/** Runs a lab script (`registry.sh start`, `push.sh latest v1`, `sshd.sh stop h2`). */
export async function labScript(script: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('bash', [path.join(LAB_DIR, script), ...args], { timeout: 60_000 })
  return stdout
}

/** The Debian docker client talking to the host's own dockerd (its socket is reachable from the root namespace). */
export async function docker(h: LabHost, ...args: string[]): Promise<string> {
  if (!h.dockerHost) throw new Error(`${h.name} has no dockerd`)
  const { stdout } = await run('/usr/bin/docker', args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DOCKER_HOST: h.dockerHost },
    timeout: 30_000
  })
  return stdout
}

/** Runs `command` as the host sees the world (its netns, its /app and /tmp), with its docker environment. */
export async function hostExec(h: LabHost, command: string, timeoutMs = 60_000): Promise<string> {
  const { stdout } = await run(
    'bash',
    [
      path.join(LAB_DIR, 'host-exec.sh'),
      h.name,
      'env',
      `DOCKER_HOST=${h.dockerHost ?? ''}`,
      `DOCKER_CONFIG=${h.dockerConfig ?? ''}`,
      'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
      'sh',
      '-c',
      command
    ],
    { timeout: timeoutMs }
  )
  return stdout
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `read` until it returns something other than undefined; fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  everyMs = 200
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(everyMs)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What a host runs

export interface Container {
  id: string
  name: string
  /** The image id (sha256:…) the container runs. */
  imageId: string
  /** The reference it was created from (`10.213.0.5:5000/lab/app:v1`). */
  image: string
  /** The app's version label (`v1`, `v2`, `unhealthy`, …) and build id, from the image. */
  version: string
  build: string
  status: string
  health: string
  /** When docker created the container, and when it last started (ISO times). */
  created: string
  startedAt: string
  /** Its compose service, and whether it is a one-off container (`compose run`). */
  service: string
  oneoff: boolean
}

export interface HostState {
  name: string
  /** Containers of the compose project's `web` service (normally exactly one). */
  containers: Container[]
  /** The single running web container, if there is exactly one. */
  web?: Container
  /** IMAGE in /app/.env. */
  envImage?: string
  envText: string
  envMode: number
  locked: boolean
  /** The lock's owner.json when locked. */
  lockOwner?: string
  lockEntries: string[]
  audit: Record<string, unknown>[]
  backups: string[]
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/** The containers of the lab's compose project (one-off ones too), or of one of its services, by docker inspect. */
export async function projectContainers(h: LabHost, service?: string): Promise<Container[]> {
  const labels = [`com.docker.compose.project=${lab().app.project}`]
  if (service) labels.push(`com.docker.compose.service=${service}`)
  const ids = (await docker(h, 'ps', '-a', '-q', ...labels.flatMap((l) => ['--filter', `label=${l}`])))
    .split('\n')
    .filter(Boolean)
  const format = [
    '{{.Id}}',
    '{{.Name}}',
    '{{.Image}}',
    '{{.Config.Image}}',
    '{{index .Config.Labels "org.deploylab.version"}}',
    '{{index .Config.Labels "org.deploylab.build"}}',
    '{{.State.Status}}',
    // Not `{{if .State.Health}}`: docker fails on it for a container without a healthcheck.
    '{{if index .State "Health"}}{{.State.Health.Status}}{{end}}',
    '{{.Created}}',
    '{{.State.StartedAt}}',
    '{{index .Config.Labels "com.docker.compose.service"}}',
    '{{index .Config.Labels "com.docker.compose.oneoff"}}'
  ].join('\t')
  const containers: Container[] = []
  for (const id of ids) {
    const line = (await docker(h, 'inspect', '--format', format, id).catch(() => '')).trim()
    if (!line) continue // removed between ps and inspect
    const [cid = '', name = '', imageId = '', image = '', version = '', build = '', status = '', health = ''] =
      line.split('\t')
    const [created = '', startedAt = '', svc = '', oneoff = ''] = line.split('\t').slice(8)
    containers.push({
      id: cid,
      name: name.replace(/^\//, ''),
      imageId,
      image,
      version,
      build,
      status,
      health,
      created,
      startedAt,
      service: svc,
      oneoff: oneoff === 'True'
    })
  }
  return containers
}

/** What the host really runs and holds: the web container via docker inspect, .env, the lock, the audit log. */
export async function hostState(h: LabHost): Promise<HostState> {
  const containers = await projectContainers(h, lab().app.service)
  const envFile = path.join(h.appDir, lab().app.envFile)
  const envText = readIfExists(envFile) ?? ''
  const envImage = /^IMAGE=(.*)$/m.exec(envText)?.[1]?.replace(/^'(.*)'$/, '$1')
  const lockDir = path.join(h.appDir, '.deploy', 'lock')
  const locked = fs.existsSync(lockDir)
  const auditText = readIfExists(path.join(h.appDir, '.deploy', 'audit.log')) ?? ''
  const backupsDir = path.join(h.appDir, '.deploy', 'backups')
  const running = containers.filter((c) => c.status === 'running')
  const state: HostState = {
    name: h.name,
    containers,
    envText,
    envMode: fs.existsSync(envFile) ? fs.statSync(envFile).mode & 0o777 : 0,
    locked,
    lockEntries: fs.existsSync(path.join(h.appDir, '.deploy'))
      ? fs.readdirSync(path.join(h.appDir, '.deploy')).filter((f) => f.startsWith('lock'))
      : [],
    audit: auditText
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
    backups: fs.existsSync(backupsDir) ? fs.readdirSync(backupsDir).sort() : []
  }
  if (containers.length === 1 && running[0]) state.web = running[0]
  if (envImage !== undefined) state.envImage = envImage
  const owner = readIfExists(path.join(lockDir, 'owner.json'))
  if (owner !== undefined) state.lockOwner = owner
  return state
}

export async function fleetState(): Promise<Record<string, HostState>> {
  const states = await Promise.all(fleet().map((h) => hostState(h)))
  return Object.fromEntries(states.map((s) => [s.name, s]))
}

// ---------------------------------------------------------------------------------------------------------------
// Reset

async function hostHealthy(h: LabHost, version: string): Promise<boolean> {
  const s = await hostState(h)
  if (!s.web || s.web.version !== version || s.web.health !== 'healthy') return false
  try {
    const response = await fetch(`${h.appUrl}${lab().app.versionPath}`, { signal: AbortSignal.timeout(1000) })
    return response.ok && (await response.text()).trim() === version
  } catch {
    return false
  }
}

/**
 * Waits (up to `timeoutMs`, without failing) until docker reports every host's web container healthy. The action's
 * gate in these tests is the health URL, which answers before docker's own healthcheck (interval 1 s) has run.
 */
export async function dockerHealthy(hosts: LabHost[], timeoutMs = 15_000): Promise<void> {
  await Promise.all(
    hosts.map((h) =>
      waitFor(
        `${h.name} healthy in docker`,
        async () => ((await hostState(h)).web?.health === 'healthy' ? true : undefined),
        timeoutMs
      ).catch(() => undefined)
    )
  )
}

/** The starter project's compose file (lab/assets/compose.yaml), as `up` installs it in every full host's /app. */
export const STARTER_COMPOSE = fs.readFileSync(path.join(LAB_DIR, 'assets', 'compose.yaml'), 'utf8')

/**
 * When a test replaced the host's project (another compose file, more files in /app): removes what that project
 * made (containers, one-off ones too, and volumes, by the compose project label) and every file of /app but .env
 * and .deploy, then puts the starter compose file back.
 */
async function restoreStarter(h: LabHost): Promise<void> {
  const composeFile = path.join(h.appDir, lab().app.composeFile)
  const extra = fs.readdirSync(h.appDir).filter((f) => !['.env', '.deploy', lab().app.composeFile].includes(f))
  if (readIfExists(composeFile) === STARTER_COMPOSE && extra.length === 0) return
  const label = `label=com.docker.compose.project=${lab().app.project}`
  await hostExec(
    h,
    `ids=$(docker ps -aq --filter ${label}); [ -z "$ids" ] || docker rm -f $ids >/dev/null; ` +
      `vols=$(docker volume ls -q --filter ${label}); [ -z "$vols" ] || docker volume rm $vols >/dev/null; ` +
      `nets=$(docker network ls -q --filter ${label}); [ -z "$nets" ] || docker network rm $nets >/dev/null; true`
  )
  for (const f of extra) fs.rmSync(path.join(h.appDir, f), { recursive: true, force: true })
  fs.writeFileSync(composeFile, STARTER_COMPOSE)
}

async function resetHost(h: LabHost): Promise<void> {
  await sh(h.linkUp)
  await unblockHealth(h)
  await labScript('sshd.sh', 'start', h.name)
  await restoreStarter(h)
  fs.rmSync(path.join(h.appDir, '.deploy'), { recursive: true, force: true })
  for (const f of fs.readdirSync(h.appDir)) {
    if (f.startsWith('.env.') || f.endsWith('.rollback')) fs.rmSync(path.join(h.appDir, f), { force: true })
  }
  for (const f of fs.readdirSync(h.tmpDir))
    if (f.startsWith('pwned')) fs.rmSync(path.join(h.tmpDir, f), { force: true })
  const envFile = path.join(h.appDir, lab().app.envFile)
  const wanted = `IMAGE=${V1()}\n`
  const envOk = readIfExists(envFile) === wanted
  if (!envOk) fs.writeFileSync(envFile, wanted)
  fs.chmodSync(envFile, 0o644)
  // `v1` may have been re-tagged by a test; the registry's v1 is the reference.
  const s = await hostState(h)
  if (envOk && s.web?.version === 'v1' && s.web.image === V1() && (await hostHealthy(h, 'v1'))) return
  // v1 stays on every host (a rollback re-tags the very image id it had); pull only if it is gone.
  await hostExec(
    h,
    `cd ${lab().app.dir} && { docker image inspect ${V1()} >/dev/null 2>&1 || docker compose pull -q; } && docker compose up -d --remove-orphans`,
    90_000
  )
  await waitFor(`${h.name} healthy on v1`, async () => ((await hostHealthy(h, 'v1')) ? true : undefined), 30_000, 300)
}

/**
 * Puts every full host (or only `hosts`) back on v1 (links up, sshd running, the starter project in /app with .env
 * `IMAGE=…:v1`, no /app/.deploy, the web container healthy on v1) with the registry running: in parallel, and
 * without touching a host already there.
 */
export async function resetFleet(hosts: LabHost[] = fleet()): Promise<void> {
  const t = Date.now()
  await labScript('registry.sh', 'start')
  await Promise.all(hosts.map((h) => resetHost(h)))
  // LAB_TIMINGS=1 npm run test:lab … prints how long each reset took.
  if (process.env.LAB_TIMINGS) console.log(`resetFleet ${Date.now() - t} ms`)
}

// ---------------------------------------------------------------------------------------------------------------
// Deploy

export function knownHostsText(): string {
  return fs.readFileSync(lab().knownHosts.plain, 'utf8')
}

export function privateKeyText(): string {
  return fs.readFileSync(lab().keys.privateKey, 'utf8')
}

/** The `with:` block of a deploy to `hosts` (default h1..h4) with the lab's key, known_hosts and fast health checks. */
export function deployInputs(extra: Record<string, string> = {}, hosts: LabHost[] = fleet()): Record<string, string> {
  return {
    strategy: 'ssh-rolling',
    image: V2(),
    hosts: hosts.map(spec).join('\n'),
    'ssh-private-key': privateKeyText(),
    'ssh-known-hosts': knownHostsText(),
    'app-dir': lab().app.dir,
    'health-check-url': `http://{host}:${lab().app.port}${lab().app.healthPath}`,
    'health-check-interval': '500ms',
    'health-check-timeout': '2s',
    // A host that never answers 2xx fails after 8 tries ≈ 4 s (plus `up`); one that starts answers within ~1 s.
    'health-check-retries': '8',
    'timeout-minutes': '5',
    ...extra
  }
}

export interface Deployed extends ActionRun {
  /** ms since epoch (this process) when main started and ended. */
  startedAt: number
  mainEndedAt: number
}

const runs: Deployed[] = []

/** Runs the bundled action (main, then post unless `noPost`) with `deployInputs(inputs)`. */
export async function deploy(
  inputs: Record<string, string> = {},
  options: Pick<RunOptions, 'onLine' | 'noPost' | 'timeoutMs' | 'env'> & { hosts?: LabHost[] } = {}
): Promise<Deployed> {
  const startedAt = Date.now()
  const result = await runAction({
    inputs: deployInputs(inputs, options.hosts),
    ...(options.env ? { env: options.env } : {}),
    ...(options.onLine ? { onLine: options.onLine } : {}),
    ...(options.noPost ? { noPost: true } : {}),
    timeoutMs: options.timeoutMs ?? 150_000
  })
  const deployed: Deployed = { ...result, startedAt, mainEndedAt: startedAt + result.main.durationMs }
  runs.push(deployed)
  saveLogs(deployed)
  return deployed
}

/** Where each run's logs are kept for a look after a failure (the work folders are removed after each file). */
export const LOG_DIR = path.join(os.tmpdir(), 'deploy-action-lab-logs')

function saveLogs(r: ActionRun): void {
  const test = (expect.getState().currentTestName ?? 'run').replace(/[^A-Za-z0-9]+/g, '-').slice(0, 80)
  fs.mkdirSync(LOG_DIR, { recursive: true })
  // Keep a day of them.
  for (const f of fs.readdirSync(LOG_DIR)) {
    const file = path.join(LOG_DIR, f)
    if (Date.now() - fs.statSync(file).mtimeMs > 86_400_000) fs.rmSync(file, { force: true })
  }
  fs.writeFileSync(path.join(LOG_DIR, `${test}-${Date.now()}.log`), logs(r))
}

export function cleanupRuns(): void {
  for (const r of runs.splice(0)) cleanupRun(r)
}

/** How `labTests` resets: before each test or not; the whole fleet or only the named hosts the file uses. */
export interface LabTestsOptions {
  resetEach: boolean
  hosts?: string[]
}

/**
 * Declares a test file's lab tests — or, when the lab is not up, one failing test that says why. The fleet (or only
 * `hosts`) is reset to v1 before each test (unless `resetEach` is false: the tests reset it themselves) and after the
 * last one, when the run logs are cleaned up too.
 */
export function labTests(define: () => void): void
export function labTests(options: LabTestsOptions, define: () => void): void
export function labTests(first: LabTestsOptions | (() => void), second?: () => void): void {
  const [{ resetEach, hosts }, define]: [LabTestsOptions, (() => void) | undefined] =
    typeof first === 'function' ? [{ resetEach: true }, first] : [first, second]
  if (!define) throw new Error('labTests: no tests to define')
  const reset = (): Promise<void> => resetFleet(hosts ? hosts.map(host) : fleet())
  if (labUnavailable) {
    const why = labUnavailable
    test('the lab is up', () => {
      throw new Error(why)
    })
    return
  }
  if (resetEach) beforeEach(() => reset(), 120_000)
  afterAll(async () => {
    cleanupRuns()
    await reset()
  }, 120_000)
  define()
}

/** The parsed `report` output. */
export interface Report {
  strategy: string
  status: string
  message: string
  targets: {
    name: string
    outcome: string
    before?: string
    after?: string
    state?: string
    error?: string
    phases: { name: string; ok: boolean; durationMs: number; detail?: string; exitCode?: number | null }[]
  }[]
}

export function report(r: ActionRun): Report {
  const text = r.main.outputs.report
  if (!text) throw new Error(`no report output; main log:\n${r.main.stdout}`)
  return JSON.parse(text) as Report
}

/** The report's target for a lab host. */
export function target(rep: Report, hostName: string): Report['targets'][number] {
  const found = rep.targets.find((t) => nameOf(t.name) === hostName)
  if (!found) throw new Error(`no target ${hostName} in the report: ${JSON.stringify(rep.targets.map((t) => t.name))}`)
  return found
}

/** Main and post logs (as the runner shows them), for failure messages. */
export function logs(r: ActionRun): string {
  return `--- main (exit ${String(r.main.exitCode)}) ---\n${r.main.visibleLog}\n--- post ---\n${r.post?.visibleLog ?? ''}`
}

/**
 * Samples, every `everyMs` until stopped (at most `maxSamples` times), the command line and the environment of every
 * process in the given hosts' network namespaces — what `ps -eo args` (and `ps e`) shows there: sshd sessions, the
 * phase scripts, docker and compose.
 */
export function sampleProcesses(
  hosts: LabHost[],
  everyMs = 100,
  maxSamples = 3000
): { stop(): Promise<{ args: string[]; environ: string[]; environs: number; samples: number }> } {
  let stopped = false
  const args = new Set<string>()
  const environ = new Set<string>()
  let samples = 0
  const loop = (async () => {
    const inodes = new Set(hosts.map((h) => fs.statSync(`/run/netns/${h.namespace}`).ino))
    for (; samples < maxSamples && !stopped; samples++) {
      const pids = (await fs.promises.readdir('/proc')).filter((p) => /^[0-9]+$/.test(p))
      await Promise.all(
        pids.map(async (pid) => {
          try {
            const ns = await fs.promises.stat(`/proc/${pid}/ns/net`)
            if (!inodes.has(ns.ino)) return
            const cmdline = (await fs.promises.readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim()
            if (cmdline) args.add(cmdline)
            const env = (await fs.promises.readFile(`/proc/${pid}/environ`, 'utf8')).split('\0').join('\n')
            if (env) environ.add(env)
          } catch {
            // The process ended while being read.
          }
        })
      )
      await sleep(everyMs)
    }
  })()
  return {
    async stop() {
      stopped = true
      await loop
      return { args: [...args], environ: [...environ], environs: environ.size, samples }
    }
  }
}

/**
 * The values the host's compose (v1 on the lab) reads for `keys` from `envFile` (a path as the host sees it): a
 * throwaway compose file in the host's /tmp interpolates each into a service's environment, `config` prints it.
 */
export async function composeReads(h: LabHost, envFile: string, keys: string[]): Promise<Record<string, string>> {
  const file = `literal-${Date.now()}.yaml`
  const environment = Object.fromEntries(keys.map((k) => [k, `\${${k}}`]))
  fs.writeFileSync(path.join(h.tmpDir, file), YAML.stringify({ services: { probe: { image: 'none', environment } } }))
  try {
    const out = await hostExec(h, `cd /tmp && docker compose --env-file ${envFile} -f /tmp/${file} config`)
    const parsed = YAML.parse(out) as { services: { probe: { environment: Record<string, string> } } }
    // `config` writes a literal `$` as `$$` (its own escape).
    return Object.fromEntries(
      Object.entries(parsed.services.probe.environment).map(([k, v]) => [k, String(v).replaceAll('$$', '$')])
    )
  } finally {
    fs.rmSync(path.join(h.tmpDir, file), { force: true })
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Faults

/**
 * Makes the host's app port refuse connections from outside (a firewall rule in the host's own network namespace,
 * not the machine's): the runner's health check then fails although the container runs. Loopback is unaffected.
 */
export async function blockHealth(h: LabHost): Promise<void> {
  await sh(
    `ip netns exec ${h.namespace} iptables -I INPUT -i ${h.interface} -p tcp --dport ${lab().app.port} -j REJECT --reject-with tcp-reset`
  )
}

/** Removes what `blockHealth` added (the lab sets no other rule in a host namespace). */
export async function unblockHealth(h: LabHost): Promise<void> {
  await sh(
    `if ip netns exec ${h.namespace} iptables -S INPUT 2>/dev/null | grep -q -- '--dport ${lab().app.port}'; then ip netns exec ${h.namespace} iptables -F INPUT; fi`
  )
}

/**
 * Drops the root namespace's ARP entry for the host (on the lab's own veth), so that connecting to a host whose link
 * is down fails the same way every time (no route to host after ARP gives up, ~3 s) rather than, with a fresh
 * entry, a SYN into the void until the SSH handshake times out.
 */
export function forgetNeighbour(h: LabHost): string {
  return `ip neigh flush dev ${lab().network.rootInterface} to ${h.address}`
}

/**
 * Arms a fault on the host, fired the moment its .env names `image` (the action's `apply` has written it; its
 * `up` comes next): `link` cuts the host's link, `sshd` kills its sshd with every session (by PID, the processes
 * named sshd in the host's network namespace). A small bash watcher does it, so the fault does not wait for this
 * process's event loop; it polls every 10 ms for at most `timeoutMs` and resolves with the time (ms) it fired at
 * (0 if it did not).
 */
export function armFault(h: LabHost, kind: 'link' | 'sshd', image: string, timeoutMs = 120_000): Promise<number> {
  const fault =
    kind === 'link'
      ? `${h.linkDown}; ${forgetNeighbour(h)}`
      : `master=$(cat ${h.sshdPidFile}); pids=$(pgrep --ns "$master" --nslist net -x sshd); kill -9 $pids`
  const script = `
    env_file=$1 wanted="IMAGE=$2" tries=$3
    exec {tick}<> <(:)
    for ((i = 0; i < tries; i++)); do
      content=''
      IFS= read -r -d '' content <"$env_file" || true
      if [[ "$content" == *"$wanted"* ]]; then
        at=\${EPOCHREALTIME/[.,]/}
        ${fault}
        echo "\${at:0:-3}"
        exit 0
      fi
      read -r -t 0.01 -u "$tick" || true
    done
    echo 0`
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['-c', script, 'arm-fault', path.join(h.appDir, lab().app.envFile), image, String(Math.ceil(timeoutMs / 10))],
      { timeout: timeoutMs + 10_000 },
      (error, stdout) => (error ? reject(error) : resolve(Number(stdout.trim().split('\n').at(-1) ?? 0)))
    )
  })
}

/** Number of successful logins in the host's sshd log so far. */
export function sshdLogins(h: LabHost): number {
  return (readIfExists(h.sshdLog) ?? '').split('\n').filter((l) => l.startsWith('Accepted publickey')).length
}

/** Sets IMAGE in the host's .env to `ref` and brings the project up on it (outside the action, as an operator would). */
export async function putOn(h: LabHost, ref: string, version: string): Promise<void> {
  fs.writeFileSync(path.join(h.appDir, lab().app.envFile), `IMAGE=${ref}\n`)
  await hostExec(h, `cd ${lab().app.dir} && docker compose pull -q && docker compose up -d`, 90_000)
  await waitFor(
    `${h.name} healthy on ${version}`,
    async () => ((await hostHealthy(h, version)) ? true : undefined),
    30_000,
    300
  )
}

// ---------------------------------------------------------------------------------------------------------------
// Assertions

export interface Settled {
  /** The version the single running web container reports; `none` / `many:<n>` otherwise. */
  version: string
  /** IMAGE in /app/.env. */
  env: string | undefined
  locked: boolean
}

/** What each host settled on: version running, IMAGE in .env, whether a deploy lock (or a leftover of one) is there. */
export function settledOf(states: Record<string, HostState>): Record<string, Settled> {
  return Object.fromEntries(
    Object.values(states).map((s) => [
      s.name,
      {
        version: s.web ? s.web.version : s.containers.length ? `many:${s.containers.length}` : 'none',
        env: s.envImage,
        locked: s.locked || s.lockEntries.length > 0
      }
    ])
  )
}

/** `settledOf` the given states, or of the fleet now. */
export async function settled(states?: Record<string, HostState>): Promise<Record<string, Settled>> {
  return settledOf(states ?? (await fleetState()))
}

/** The settled state of a host running `version` from tag `tagName` (default: the same word), with no lock. */
export function on(version: string, tagName = version): Settled {
  return { version, env: tag(tagName), locked: false }
}
