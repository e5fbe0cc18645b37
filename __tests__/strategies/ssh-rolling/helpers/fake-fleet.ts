/**
 * An in-memory fleet behind a fake SshConnector: each host has files, image tags, running containers, a deploy
 * lock, backups and an audit log, and answers each phase script the way the real script does (same arguments,
 * same `@@RESULT` fields). Failures are scripted per host and phase.
 */
import type { HostTarget } from '../../../../src/strategies/ssh-rolling/config.js'
import {
  ConnectionError,
  type ExecOptions,
  type ExecResult,
  type SshConnector,
  type SshSession
} from '../../../../src/strategies/ssh-rolling/connection.js'
import type { HttpGet } from '../../../../src/strategies/ssh-rolling/context.js'
import { SCRIPTS, type PhaseScriptName } from '../../../../src/strategies/ssh-rolling/scripts.js'

interface File {
  content: string
  mode: number
}

interface Backup {
  files: Map<string, File | null>
  images: { service: string; imageId: string; image: string }[]
  /** The meta file: the backup before the release it holds, and that release. */
  previous: string
  release: string
}

export interface ExecRecord {
  host: string
  script: PhaseScriptName
  args: readonly string[]
  input?: string
}

/** Phases whose failure a test can script: the script name, or a `run` label (`pre-deploy command`, …). */
export type FailPoint =
  PhaseScriptName | 'connect' | 'pre-deploy command' | 'post-deploy command' | 'health-check command'

const SCRIPT_BY_TEXT = new Map(Object.entries(SCRIPTS).map(([name, text]) => [text, name as PhaseScriptName]))

function parseEnv(text: string): Map<string, string> {
  const vars = new Map<string, string>()
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_]\w*)\s*=(.*)$/.exec(line)
    if (m) vars.set(m[1] as string, (m[2] as string).replace(/^'(.*)'$/, '$1'))
  }
  return vars
}

export class FakeHost {
  readonly files = new Map<string, File>()
  /** Image reference → image id. */
  readonly tags = new Map<string, string>()
  /** Service → what its container runs. */
  readonly running = new Map<string, { imageId: string; image: string }>()
  /** Start-first: service → the new container started beside the old one, not switched to yet. */
  readonly fresh = new Map<string, { imageId: string; image: string }>()
  /**
   * The facts `pull` reports of the new configuration (`service_facts` lines); undefined: it reports none, as when
   * compose cannot print its configuration (then every service goes stop-first).
   */
  facts: string | undefined = undefined
  /** New containers removed by a rollback before their switch. */
  retired = 0
  lock: { token: string; ownerJson: string; expires: number } | undefined
  /** The host's own clock (epoch seconds): lock expiry is set and judged by it, never by the runner's. */
  time = 1_700_000_000
  readonly backups = new Map<string, Backup>()
  readonly audit: Record<string, unknown>[] = []
  compose: 'v1' | 'v2' = 'v2'
  /** `docker tag` fails (a full disk): an unlock cannot put a moved tag back. */
  tagFails = false
  /** Image ids whose containers never get healthy. */
  readonly unhealthy = new Set<string>()
  readonly failures = new Map<FailPoint, string>()
  /** Called before each phase script runs (e.g. to cancel the job mid-batch); may return a promise to wait on. */
  beforeExec: ((script: PhaseScriptName, args: readonly string[]) => void | Promise<void>) | undefined
  connects = 0
  /** The link is cut: open sessions are dead, exec ends without an exit code, new connections time out. */
  linkCut = false
  /** The connection drops during this script (once), and a new one can be made at once. */
  dropDuring: PhaseScriptName | undefined = undefined
  /** Supervised phases that lost their runner and still run (until a `stop`). */
  orphans = 0
  /** `stop` reports a process group it could not stop. */
  unstoppable = false

  constructor(
    readonly name: string,
    private readonly fleet: FakeFleet
  ) {}

  env(): Map<string, string> {
    return parseEnv(this.files.get('.env')?.content ?? '')
  }

  image(): string | undefined {
    return this.running.get('web')?.image
  }

  imageId(): string | undefined {
    return this.running.get('web')?.imageId
  }

  /** The image reference compose resolves `web` to: `${IMAGE}` from .env. */
  resolved(): string {
    return this.env().get('IMAGE') ?? ''
  }

  run(
    script: PhaseScriptName,
    args: readonly string[],
    input: string | undefined
  ): { code: number; out: string; result: Record<string, unknown> } {
    const failure = (error: string, extra: Record<string, unknown> = {}) => ({
      code: 1,
      out: `${error}\n`,
      result: { ok: false, ...extra, error }
    })
    const okay = (result: Record<string, unknown> = {}, out = '') => ({ code: 0, out, result: { ok: true, ...result } })
    const scripted = this.failures.get(script)
    switch (script) {
      case 'preflight': {
        if (scripted) return failure(scripted)
        const [, , imageVar, , token, ownerJson, ttl] = args as string[]
        const before = this.env().get(imageVar as string)
        return okay({
          compose: this.compose,
          composeVersion: this.compose === 'v2' ? '2.24.0' : '1.29.2',
          dockerVersion: '24.0.7',
          ...(before ? { imageBefore: before } : {}),
          ...(args[7] === 'yes' && this.facts !== undefined ? { facts: this.facts } : {}),
          ...(this.audit.length ? { lastAudit: JSON.stringify(this.audit.at(-1)) } : {}),
          warnings: [],
          ...this.takeLock(token as string, ownerJson as string, Number(ttl))
        })
      }
      case 'lock': {
        const [, token, ownerJson, ttl] = args as string[]
        return okay(this.takeLock(token as string, ownerJson as string, Number(ttl)))
      }
      case 'renew': {
        if (scripted) return failure(scripted)
        const [, token, ttl] = args as string[]
        if (!this.lock) return okay({ lock: 'absent' })
        if (this.lock.token !== token) return okay({ lock: 'other', lockOwner: this.lock.ownerJson })
        this.lock.expires = this.time + Number(ttl)
        return okay({ lock: 'renewed', expires: this.lock.expires })
      }
      case 'unlock': {
        if (scripted) return failure(scripted)
        const [, token, backupDir] = args
        if (!this.lock) return okay({ lock: 'absent' })
        if (this.lock.token !== token) return okay({ lock: 'other', lockOwner: this.lock.ownerJson })
        const retag = backupDir ? this.backups.get(backupDir)?.images : undefined
        if (retag && this.tagFails) {
          this.lock = undefined
          return okay({
            lock: 'released',
            retagged: 0,
            retagError: `cannot tag ${retag[0]?.imageId} as ${retag[0]?.image}`
          })
        }
        for (const img of retag ?? []) this.tags.set(img.image, img.imageId)
        this.lock = undefined
        return okay({ lock: 'released', ...(retag ? { retagged: retag.length } : {}) })
      }
      case 'backup': {
        if (scripted) return failure(scripted)
        const [appDir, , , stamp, , , previous = '', release = ''] = args as string[]
        let dir = `${appDir}/.deploy/backups/${stamp}`
        for (let n = 2; this.backups.has(dir); n++) dir = `${appDir}/.deploy/backups/${stamp}.${n}`
        const files = new Map<string, File | null>()
        for (const name of ['docker-compose.yml', '.env']) {
          const f = this.files.get(name)
          files.set(name, f ? { ...f } : null)
        }
        const images = [...this.running].map(([service, r]) => ({ service, imageId: r.imageId, image: r.image }))
        this.backups.set(dir, { files, images, previous, release: release || (images[0]?.image ?? '') })
        return okay({ dir, images, pruned: 0 })
      }
      case 'run': {
        const [, label, command] = args as string[]
        const fail = this.failures.get(label as FailPoint)
        if (fail)
          return { code: 1, out: `${fail}\n`, result: { ok: false, exitCode: 3, error: `${label} exited with code 3` } }
        return okay({ exitCode: 0 }, `ran ${command}\n`)
      }
      case 'apply': {
        if (scripted) return failure(scripted)
        if (!input) return failure('no variables to write')
        const lines = (this.files.get('.env')?.content ?? '').split('\n').filter((l) => l !== '')
        const updates = input.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l] as const)
        for (const [key, line] of updates) {
          const i = lines.findIndex((l) => l.startsWith(`${key}=`))
          if (i >= 0) lines[i] = line
          else lines.push(line)
        }
        this.files.set('.env', { content: `${lines.join('\n')}\n`, mode: 0o600 })
        return okay({ keys: updates.map(([k]) => k), changed: true })
      }
      case 'pull': {
        if (scripted) return failure(scripted)
        if (!input) return failure('no variables to pull with')
        // Pulls what .env will name once the input is merged in; .env itself is left alone.
        const ref = parseEnv(input).get('IMAGE') ?? this.resolved()
        const id = this.fleet.registry.get(ref)
        if (!id || this.fleet.registryDown) return failure('docker compose pull failed with exit code 1')
        this.tags.set(ref, id)
        const facts =
          this.facts === undefined
            ? {}
            : { facts: this.facts, changed: this.running.get('web')?.imageId === id ? [] : ['web'] }
        return okay(facts, `Pulling web ... done\n`)
      }
      case 'up': {
        if (scripted) return failure(scripted)
        const ref = this.resolved()
        const id = this.tags.get(ref)
        if (!id) return failure('docker compose up failed with exit code 1')
        this.running.set('web', { imageId: id, image: ref })
        return okay({}, 'Recreating app_web_1 ... done\n')
      }
      case 'start': {
        if (scripted) return failure(scripted)
        const ref = this.resolved()
        const id = this.tags.get(ref)
        if (!id) return failure('docker compose up (start-first) failed with exit code 1')
        this.fresh.set('web', { imageId: id, image: ref })
        return okay({
          old: [{ service: 'web', id: 'c-old', name: 'app_web_1' }],
          new: [{ service: 'web', id: 'c-new', name: 'app_web_2' }]
        })
      }
      case 'gate': {
        const id = this.fresh.get('web')?.imageId
        if (id && !this.unhealthy.has(id)) return okay({ state: 'healthy', problems: [], containers: [] })
        return okay({ state: 'unhealthy', problems: ['app_web_2 is unhealthy'], containers: [] })
      }
      case 'switch': {
        if (scripted) return failure(scripted)
        const fresh = this.fresh.get('web')
        if (fresh) this.running.set('web', fresh)
        this.fresh.clear()
        return okay({ retired: 1 })
      }
      case 'health': {
        const id = this.imageId()
        if (id && !this.unhealthy.has(id)) return okay({ state: 'healthy', problems: [], containers: [] })
        return okay({ state: 'unhealthy', problems: [id ? 'app_web_1 is unhealthy' : 'service web has no container'] })
      }
      case 'diagnose':
        return okay({}, '== docker compose ps\napp_web_1  running (unhealthy)\n')
      case 'audit': {
        const line = JSON.parse(args[1] as string) as Record<string, unknown>
        if (args[2]) line.running = [...this.running].map(([service, r]) => ({ service, ...r }))
        this.audit.push(line)
        return okay()
      }
      case 'releases': {
        if (scripted) return failure(scripted)
        const present = (id: string): boolean =>
          [...this.tags.values()].includes(id) || [...this.running.values()].some((r) => r.imageId === id)
        return okay({
          running: [...this.running].map(([service, r]) => ({ service, ...r })),
          backups: [...this.backups]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([dir, b]) => ({
              name: dir.split('/').pop(),
              dir,
              complete: true,
              previous: b.previous,
              release: b.release,
              images: b.images.map((i) => ({ ...i, present: present(i.imageId) }))
            }))
        })
      }
      case 'restore': {
        if (scripted) return failure(scripted)
        if (this.lock?.token !== args[5]) return failure("the deploy lock is no longer this run's", { lock: 'absent' })
        const backup = this.backups.get(args[4] as string)
        if (!backup) return failure(`backup ${args[4]} is missing or incomplete (no manifest)`)
        for (const [name, f] of backup.files) {
          if (f) this.files.set(name, { ...f })
          else this.files.delete(name)
        }
        for (const img of backup.images) this.tags.set(img.image, img.imageId)
        const changed = backup.images.filter((i) => this.running.get(i.service)?.imageId !== i.imageId)
        return okay({
          restored: backup.files.size,
          retagged: backup.images.length,
          missing: [],
          previous: backup.previous,
          ...(this.facts === undefined ? {} : { facts: this.facts, changed: changed.map((i) => i.service) })
        })
      }
      case 'rollback': {
        if (scripted) return failure(scripted)
        if (this.lock?.token !== args[5]) {
          const lock = this.lock ? { lock: 'other', lockOwner: this.lock.ownerJson } : { lock: 'absent' }
          return failure("the deploy lock is no longer this run's", lock)
        }
        const backup = this.backups.get(args[4] as string)
        if (!backup) return failure(`backup ${args[4]} is missing or incomplete (no manifest)`)
        // Before a start-first switch: the new containers go, the old ones never stopped.
        const retired = args[6] ? this.fresh.size : 0
        if (args[6]) this.fresh.clear()
        this.retired += retired
        for (const [name, f] of backup.files) {
          if (f) this.files.set(name, { ...f })
          else this.files.delete(name)
        }
        for (const img of backup.images) {
          this.tags.set(img.image, img.imageId)
          this.running.set(img.service, { imageId: img.imageId, image: img.image })
        }
        return okay({
          restored: backup.files.size,
          retagged: backup.images.length,
          missing: [],
          retired,
          previous: backup.previous
        })
      }
      case 'stop': {
        if (scripted) return failure(scripted)
        const stopped = this.orphans
        this.orphans = 0
        return okay({ stopped, left: this.unstoppable ? ['4242'] : [] })
      }
      default:
        return failure(`fake host: no script ${String(script)}`)
    }
  }

  private takeLock(token: string, ownerJson: string, ttl: number): Record<string, unknown> {
    const expires = this.time + ttl
    if (!this.lock || this.lock.token === token) {
      this.lock = { token, ownerJson, expires }
      return { lock: 'acquired' }
    }
    const previous = this.lock.ownerJson
    if (this.lock.expires > this.time) return { lock: 'held', lockOwner: previous }
    this.lock = { token, ownerJson, expires }
    const last = this.audit.at(-1)
    return { lock: 'taken-over', lockOwner: previous, ...(last ? { lockAudit: JSON.stringify(last) } : {}) }
  }
}

export class FakeFleet implements SshConnector {
  readonly hosts = new Map<string, FakeHost>()
  /** Image reference → image id in the registry. */
  readonly registry = new Map<string, string>()
  registryDown = false
  readonly execs: ExecRecord[] = []
  /** Command lines as sshd would see them. */
  readonly commandLines: string[] = []

  /** Hosts running `image` (id `imageId`) with IMAGE=image in .env. */
  constructor(names: string[], image: string, imageId: string) {
    this.registry.set(image, imageId)
    for (const name of names) {
      const h = new FakeHost(name, this)
      h.files.set('docker-compose.yml', { content: 'services:\n  web:\n    image: ${IMAGE}\n', mode: 0o644 })
      h.files.set('.env', { content: `# app\nIMAGE=${image}\nLOG_LEVEL=info\n`, mode: 0o644 })
      h.tags.set(image, imageId)
      h.running.set('web', { imageId, image })
      this.hosts.set(name, h)
    }
  }

  host(name: string): FakeHost {
    const h = this.hosts.get(name)
    if (!h) throw new Error(`no fake host ${name}`)
    return h
  }

  /** The scripts run on `host`, in order (`run` shows its label). */
  ran(host: string): string[] {
    return this.execs.filter((e) => e.host === host).map((e) => (e.script === 'run' ? `run:${e.args[1]}` : e.script))
  }

  async connect(target: HostTarget): Promise<SshSession> {
    const host = this.host(target.host)
    host.connects++
    if (host.linkCut) throw new ConnectionError('timeout', `${target.user}@${target.host}:${target.port}: timed out`)
    const refused = host.failures.get('connect')
    if (refused) throw new ConnectionError('refused', `${target.user}@${target.host}:${target.port}: ${refused}`)
    let alive = true
    return {
      get alive() {
        return alive && !host.linkCut
      },
      exec: async (script: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> => {
        const name = SCRIPT_BY_TEXT.get(script)
        if (!name) throw new Error('fake host: unknown script text')
        this.execs.push({
          host: host.name,
          script: name,
          args,
          ...(opts.input !== undefined ? { input: opts.input } : {})
        })
        const { remoteCommand } = await import('../../../../src/strategies/ssh-rolling/shell.js')
        this.commandLines.push(remoteCommand(args))
        await host.beforeExec?.(name, args)
        if (host.dropDuring === name) {
          // The connection drops mid-phase and comes back: the phase goes on on the host.
          host.dropDuring = undefined
          alive = false
          host.orphans++
          return { code: null, stdout: '', stderr: '', error: 'connection lost' }
        }
        if (host.linkCut) {
          // A supervised phase cut off from its runner may still run on the host until it is stopped.
          if (opts.runId !== undefined) host.orphans++
          return { code: null, stdout: '', stderr: '', error: 'connection lost' }
        }
        const r = host.run(name, args, opts.input)
        opts.onStdout?.(r.out)
        return { code: r.code, stdout: `${r.out}\n@@RESULT ${JSON.stringify(r.result)}\n`, stderr: '' }
      },
      close: async () => {
        alive = false
      }
    }
  }

  async close(): Promise<void> {}

  /** Health over HTTP: 200 unless the host's web container runs an unhealthy image. */
  readonly http: HttpGet = async (url) => {
    const host = this.host(new URL(url).hostname)
    const id = host.imageId()
    return { status: id && !host.unhealthy.has(id) ? 200 : 503 }
  }
}
