/** The inputs of ssh-rolling: hosts and how to reach them, host keys, the Compose project, health, batches. */
import path from 'node:path'
import type { ParsedKey } from 'ssh2'
import { Inputs } from '../../constants.js'
import type { CommonConfig, CommonInputs } from '../../inputs/common.js'
import {
  contentLines,
  FormError,
  type ImageRef,
  parseBoolean,
  parseDuration,
  parseEnum,
  parseInteger,
  positiveDuration,
  show,
  VARIABLE_FORM,
  VARIABLE_RE
} from '../../inputs/forms.js'
import {
  at,
  invalid,
  missing,
  readEnvLines,
  type EnvPair,
  type InputReader,
  type ReadContext
} from '../../inputs/reader.js'
import { urlSecrets } from '../../redact-url.js'
import { ENV_VALUE_FORM, envValueProblem } from './dotenv.js'
import { endpointKey, HOST_FORM, parseHostSpec, USER_RE, type HostSpec } from './hosts.js'
import { readKnownHosts, type KnownHostEntry } from './known-hosts.js'
import { checkKeyText, KEY_FORM, loadKeyParser, parsePrivateKey } from './private-key.js'

/** One SSH target, after defaults (`ssh-user`, `ssh-port`) are applied. */
export interface HostTarget {
  /** As written by the user (e.g. `deploy@[2001:db8::1]:2222`); used as the display name. */
  spec: string
  user: string
  host: string
  port: number
}

/** `N` hosts or `N%` of the fleet. */
export type BatchSize = { kind: 'count'; value: number } | { kind: 'percent'; value: number }

export interface HealthCheckConfig {
  url?: string
  command?: string
  retries: number
  intervalMs: number
  timeoutMs: number
  startPeriodMs: number
}

/** How a service's containers are replaced: `auto` picks start-first where the service can run twice. */
export type UpdateOrder = 'auto' | 'start-first' | 'stop-first'

export interface SshRollingConfig extends Omit<CommonConfig, 'image'> {
  strategy: 'ssh-rolling'
  /** The image deployed; absent exactly when `rollbackTo` is set (each host then gets its backup's release). */
  image?: ImageRef
  hosts: HostTarget[]
  /** Parsed and decrypted once, by ssh2. */
  privateKey?: ParsedKey
  passphrase?: string
  knownHosts: KnownHostEntry[]
  jumpHost?: HostTarget
  insecureSkipHostKeyCheck: boolean
  appDir: string
  composeFiles: string[]
  composeServices: string[]
  env: EnvPair[]
  imageVariable: string
  preDeployCommand?: string
  postDeployCommand?: string
  healthCheck: HealthCheckConfig
  updateOrder: UpdateOrder
  /** Start-first: how long the new containers serve beside the old before the old are retired (a proxy's refresh). */
  switchDelayMs: number
  /** Start-first: per service, the `port/path` each new container must answer with 2xx at its own address. */
  containerChecks: Record<string, string>
  batchSize: BatchSize
  firstBatchSize?: BatchSize
  rollbackScope: 'fleet' | 'host'
  backupRetention: number
  lockWaitSeconds: number
}

const BATCH_FORM = 'a number of hosts (1 or more) or a percentage from 1% to 100%'

function parseBatchSize(value: string): BatchSize {
  const m = /^([0-9]+)(%?)$/.exec(value)
  const n = m ? Number(m[1]) : NaN
  if (!m || !Number.isSafeInteger(n) || n < 1 || (m[2] === '%' && n > 100)) throw new FormError(BATCH_FORM)
  return m[2] === '%' ? { kind: 'percent', value: n } : { kind: 'count', value: n }
}

/** A backup folder's name as `backup` creates it: `<UTC stamp>[-run<id>[-<attempt>]][.<n>]`. */
const BACKUP_NAME_RE = /^[0-9]{8}T[0-9]{6}Z(?:-run[0-9]{1,20}(?:-[0-9]{1,6})?)?(?:\.[0-9]{1,6})?$/
export const BACKUP_NAME_FORM = `a backup's folder name in <app-dir>/.deploy/backups/, like 20260102T030405Z-run123`

/** `rollback-to` for ssh-rolling: the name goes to the host as a script argument, so only the names backups get. */
export function parseBackupName(value: string): string {
  if (!BACKUP_NAME_RE.test(value)) throw new FormError(BACKUP_NAME_FORM)
  return value
}

const SAFE_PATH_RE = /^[A-Za-z0-9._/-]+$/

function hasDotDot(p: string): boolean {
  return p.split('/').includes('..')
}

function parseAppDir(value: string): string {
  const expected = `an absolute directory path other than / (characters A-Z a-z 0-9 . _ - /, no '..')`
  if (!value.startsWith('/') || !SAFE_PATH_RE.test(value) || hasDotDot(value)) throw new FormError(expected)
  const normalized = path.posix.normalize(value).replace(/\/+$/, '')
  if (normalized === '') throw new FormError(expected)
  return normalized
}

function readComposeFiles(r: InputReader): string[] {
  const files: string[] = []
  for (const [i, line] of r.get(Inputs.composeFile).split(/\r?\n/).entries()) {
    for (const item of line.split(',')) {
      const file = item.trim()
      if (!file) continue
      const ok = r.check(() =>
        at(Inputs.composeFile, i + 1, file, () => {
          if (file.startsWith('/') || !SAFE_PATH_RE.test(file) || hasDotDot(file)) {
            throw new FormError(`file names relative to '${Inputs.appDir}' (characters A-Z a-z 0-9 . _ - /, no '..')`)
          }
          return true
        })
      )
      if (ok) files.push(file)
    }
  }
  return files
}

const SERVICE_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

function readComposeServices(r: InputReader): string[] {
  const services: string[] = []
  for (const [i, line] of r.get(Inputs.composeServices).split(/\r?\n/).entries()) {
    for (const service of line.split(/[\s,]+/).filter(Boolean)) {
      if (!SERVICE_RE.test(service)) {
        r.add(
          invalid(
            Inputs.composeServices,
            'Compose service names ([a-zA-Z0-9][a-zA-Z0-9_.-]*) separated by commas, spaces or newlines',
            show(service),
            i + 1
          )
        )
      } else if (!services.includes(service)) services.push(service)
    }
  }
  return services
}

const CONTAINER_CHECK_RE = /^([a-zA-Z0-9][a-zA-Z0-9_.-]*)\s*=\s*(\d{1,5})(\/[A-Za-z0-9._~/?=&%+-]*)?$/

/** `service=port/path` lines: the HTTP GET each new start-first container must answer with 2xx. */
function readContainerChecks(r: InputReader): Record<string, string> {
  const checks = r.lines(Inputs.containerCheck, (line) => {
    const m = CONTAINER_CHECK_RE.exec(line)
    const port = Number(m?.[2])
    if (!m || port < 1 || port > 65535) {
      throw new FormError(
        'lines service=port/path (e.g. web=8080/healthz): an HTTP GET each new container must answer with 2xx'
      )
    }
    return [m[1] as string, `${port}${m[3] ?? '/'}`] as const
  })
  return Object.fromEntries(checks)
}

function parseHealthCheckUrl(value: string): string {
  const expected = 'an http:// or https:// URL (it may contain {host})'
  let url: URL
  try {
    url = new URL(value.replaceAll('{host}', 'host.invalid'))
  } catch {
    throw new FormError(expected)
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || /\s/.test(value)) throw new FormError(expected)
  return value
}

interface HostLine {
  spec: string
  parsed: HostSpec
  line: number
}

/** The entries of `hosts`, each bad one a problem; none at all is a missing `hosts`. */
function readHosts(r: InputReader): HostLine[] {
  const specs: HostLine[] = []
  let count = 0
  for (const { line, number } of contentLines(r.get(Inputs.hosts))) {
    for (const item of line.split(',')) {
      const spec = item.trim()
      if (!spec) continue
      count++
      const parsed = r.check(() => at(Inputs.hosts, number, spec, () => parseHostSpec(spec)))
      if (parsed) specs.push({ spec, parsed, line: number })
    }
  }
  if (count === 0) {
    r.add(
      missing(Inputs.hosts, `required for ssh-rolling; expected ${HOST_FORM} entries, one per line or comma-separated`)
    )
  }
  return specs
}

/** Applies `ssh-user` and `ssh-port` to each host; one missing user and each duplicate are problems. */
function resolveHosts(r: InputReader, specs: HostLine[], sshUser: string | undefined, sshPort: number): HostTarget[] {
  const hosts: HostTarget[] = []
  const seen = new Map<string, number>()
  let userMissing = false
  for (const { spec, parsed, line } of specs) {
    const user = parsed.user ?? sshUser
    if (user === undefined) {
      if (!userMissing && !r.failed(Inputs.sshUser)) {
        r.add(
          missing(
            Inputs.sshUser,
            `required unless every entry of '${Inputs.hosts}' has user@; expected a user name, line ${line} ${show(spec)} has none`
          )
        )
      }
      userMissing = true
      continue
    }
    const port = parsed.port ?? sshPort
    // A host is the same endpoint as another only once `ssh-port` is known.
    if (parsed.port !== undefined || !r.failed(Inputs.sshPort)) {
      const key = endpointKey(parsed.host, port)
      const first = seen.get(key)
      if (first !== undefined) {
        r.add(invalid(Inputs.hosts, 'each host once', `${show(spec)} again (first on line ${first})`, line))
        continue
      }
      seen.set(key, line)
    }
    hosts.push({ spec, user, host: parsed.host, port })
  }
  return hosts
}

export async function readSshRollingConfig(
  r: InputReader,
  { image, ...common }: CommonInputs & Pick<CommonConfig, 'strategy'>,
  { log }: ReadContext
): Promise<SshRollingConfig> {
  // Masked the moment they are read, before any validation can fail.
  const rawKey = r.get(Inputs.sshPrivateKey)
  if (rawKey) log.setSecret(rawKey)
  const passphrase = r.get(Inputs.sshPassphrase)
  if (passphrase) log.setSecret(passphrase)

  const specs = readHosts(r)
  const sshUser = r.optional(Inputs.sshUser, (v) => {
    if (!USER_RE.test(v)) throw new FormError('a user name matching [a-z_][a-z0-9_.-]*')
    return v
  })
  const sshPort = r.value(Inputs.sshPort, 22, (v) => parseInteger(v, 1, 65535))
  const hosts = resolveHosts(r, specs, sshUser, sshPort)

  const keyText = r.required(Inputs.sshPrivateKey, 'for ssh-rolling', KEY_FORM, checkKeyText)
  if (keyText && keyText.trim() !== rawKey) log.setSecret(keyText)

  const insecure = r.value(Inputs.sshInsecureSkipHostKeyCheck, false, parseBoolean)
  const knownHosts = readKnownHosts(r)
  if (knownHosts.some((e) => e.kind !== 'pin' && e.marker === '@cert-authority')) {
    log.warning(
      `'${Inputs.sshKnownHosts}': @cert-authority lines are ignored: host certificates are not supported; give each host's own key (ssh-keyscan output) or a pin`
    )
  }
  // Missing only when nothing was written: bad lines are problems of their own.
  if (
    contentLines(r.get(Inputs.sshKnownHosts)).length === 0 &&
    !insecure &&
    !r.failed(Inputs.sshInsecureSkipHostKeyCheck)
  ) {
    r.add(
      missing(
        Inputs.sshKnownHosts,
        `required unless '${Inputs.sshInsecureSkipHostKeyCheck}' is true; expected known_hosts lines (ssh-keyscan output) or pins host[:port] SHA256:<fingerprint>`
      )
    )
  }
  if (insecure) {
    log.warning(
      `'${Inputs.sshInsecureSkipHostKeyCheck}' is true: host keys are NOT verified, so anyone between the runner and the hosts can impersonate them and read the deploy. Use '${Inputs.sshKnownHosts}' in production.`
    )
  }

  const jumpHost = r.optional(Inputs.sshJumpHost, (v) => {
    const parsed = parseHostSpec(v)
    const user = parsed.user ?? sshUser
    if (user === undefined && !r.failed(Inputs.sshUser)) {
      throw new FormError(`${HOST_FORM} with user@ (or set '${Inputs.sshUser}')`)
    }
    return { spec: v, user: user ?? '', host: parsed.host, port: parsed.port ?? 22 }
  })

  const imageVariable = r.value(Inputs.imageVariable, 'IMAGE', (v) => {
    if (!VARIABLE_RE.test(v)) throw new FormError(VARIABLE_FORM)
    return v
  })
  const env = readEnvLines(r, Inputs.env, log, {
    // The key the image goes under is reserved only once it is known.
    ...(r.failed(Inputs.imageVariable)
      ? {}
      : { reserved: { key: imageVariable, why: `set from '${Inputs.image}' via '${Inputs.imageVariable}'` } }),
    value: { form: ENV_VALUE_FORM, problem: envValueProblem }
  })

  const healthCheck: HealthCheckConfig = {
    retries: r.value(Inputs.healthCheckRetries, 10, (v) => parseInteger(v, 1, 1000)),
    intervalMs: r.value(Inputs.healthCheckInterval, 3000, positiveDuration),
    timeoutMs: r.value(Inputs.healthCheckTimeout, 5000, positiveDuration),
    startPeriodMs: r.value(Inputs.healthCheckStartPeriod, 0, parseDuration)
  }
  const url = r.optional(Inputs.healthCheckUrl, parseHealthCheckUrl)
  if (url) {
    // A token in the query is masked too: the URL is shown with `{host}` replaced, which a whole-URL mask misses.
    for (const secret of urlSecrets(url)) log.setSecret(secret)
    healthCheck.url = url
  }
  const command = r.get(Inputs.healthCheckCommand)
  if (command) healthCheck.command = command

  const config: SshRollingConfig = {
    ...common,
    strategy: 'ssh-rolling',
    hosts,
    knownHosts,
    insecureSkipHostKeyCheck: insecure,
    appDir: r.value(Inputs.appDir, '/app', parseAppDir),
    composeFiles: readComposeFiles(r),
    composeServices: readComposeServices(r),
    env,
    imageVariable,
    healthCheck,
    updateOrder: r.value<UpdateOrder>(Inputs.updateOrder, 'auto', (v) =>
      parseEnum(v, ['auto', 'start-first', 'stop-first'] as const)
    ),
    switchDelayMs: r.value(Inputs.switchDelay, 5000, parseDuration),
    containerChecks: readContainerChecks(r),
    batchSize: r.value(Inputs.batchSize, { kind: 'count', value: 1 }, parseBatchSize),
    rollbackScope: r.value<'fleet' | 'host'>(Inputs.rollbackScope, 'fleet', (v) =>
      parseEnum(v, ['fleet', 'host'] as const)
    ),
    backupRetention: r.value(Inputs.backupRetention, 5, (v) => parseInteger(v, 1, Number.MAX_SAFE_INTEGER)),
    lockWaitSeconds: r.value(Inputs.lockWaitSeconds, 0, (v) => parseInteger(v, 0, Number.MAX_SAFE_INTEGER))
  }
  if (image && !common.rollbackTo) config.image = image
  if (common.rollbackTo && env.length > 0) {
    log.warning(
      `'${Inputs.env}' is not used by '${Inputs.rollbackTo}': each host gets back the .env its backup holds, as it was`
    )
  }
  if (passphrase) config.passphrase = passphrase
  // Parsed only once every other input is valid: loading ssh2, and an encrypted key's bcrypt rounds (~170 ms),
  // would otherwise slow every run that fails on another input.
  if (keyText && r.problems.length === 0) {
    const parseKey = await loadKeyParser()
    const privateKey = r.check(() => parsePrivateKey(parseKey, keyText, passphrase))
    if (privateKey) config.privateKey = privateKey
  }
  if (jumpHost) config.jumpHost = jumpHost
  const firstBatchSize = r.optional(Inputs.firstBatchSize, parseBatchSize)
  if (firstBatchSize) config.firstBatchSize = firstBatchSize
  const pre = r.get(Inputs.preDeployCommand)
  if (pre) config.preDeployCommand = pre
  const post = r.get(Inputs.postDeployCommand)
  if (post) config.postDeployCommand = post
  return config
}
