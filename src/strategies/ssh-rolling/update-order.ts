/**
 * How each service is updated: start-first (new containers beside the old ones, gated, then the old ones retired)
 * where two of its containers can run side by side, stop-first (compose's own recreate) where they cannot. Pure: it
 * reads the facts `service_facts` (remote/lib.sh) prints from a host's `docker compose config`.
 */
import type { UpdateOrder } from './config.js'

export interface ServiceFacts {
  service: string
  containerName?: string
  networkMode?: string
  /** `scale`, else `deploy.replicas`, else 1. */
  declaredScale: number
  /** `deploy.update_config.order`, as the compose file says. */
  order?: string
  stopGraceMs: number
  healthcheck: 'test' | 'disable' | 'none'
  /** The `ports` items: short syntax, or `published=…,target=…,host_ip=…,protocol=…`. */
  ports: string[]
  /** The first `ports` item that binds a fixed host port. */
  fixedHostPort?: string
  /** A checksum of the service's whole config: equal in two configs when compose leaves the service as it is. */
  hash?: string
  /** Mounts (volumes, bind mounts) the service's containers write to. */
  writableMounts: number
}

export interface ServiceOrder {
  service: string
  order: 'start-first' | 'stop-first' | 'unchanged'
  reason: string
}

export interface DecideOptions {
  /** The services whose containers change; undefined when unknown (a dry run): then every service counts. */
  changed?: ReadonlySet<string>
  /** Services that run once and exit. */
  oneShot?: ReadonlySet<string>
  /** Only these services; empty or undefined: all. */
  services?: readonly string[]
}

/** Compose's default `stop_grace_period`. */
const DEFAULT_STOP_GRACE_MS = 10_000

const DURATION_UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 1e-3,
  µs: 1e-3,
  ns: 1e-6
}
const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/
const DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g

/** Milliseconds in a compose (Go) duration: `1m30s`, `500ms`, `2s`, `1h`, `0`; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim()
  if (s === '0') return 0
  if (!DURATION.test(s)) return undefined
  let ms = 0
  for (const [, amount, unit] of s.matchAll(DURATION_PART)) ms += Number(amount) * (DURATION_UNIT_MS[unit ?? ''] ?? 0)
  return Math.round(ms)
}

/** The facts of each service from `service_facts` output (`service<TAB>key<TAB>value` lines). */
export function parseServiceFacts(text: string): Map<string, ServiceFacts> {
  const fields = new Map<string, Map<string, string[]>>()
  for (const line of text.split('\n')) {
    const [service, key, ...rest] = line.split('\t')
    if (!service || !key) continue
    const byKey = fields.get(service) ?? new Map<string, string[]>()
    fields.set(service, byKey)
    byKey.set(key, [...(byKey.get(key) ?? []), rest.join('\t')])
  }
  return new Map([...fields].map(([service, byKey]) => [service, toFacts(service, byKey)]))
}

function toFacts(service: string, byKey: Map<string, string[]>): ServiceFacts {
  const one = (key: string): string | undefined => byKey.get(key)?.[0]
  const count = (key: string): number | undefined => {
    const value = one(key)
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined
  }
  const [containerName, networkMode, order, hash] = ['container_name', 'network_mode', 'order', 'hash'].map(one)
  const healthcheck = one('healthcheck')
  const ports = byKey.get('port') ?? []
  const fixedHostPort = ports.find((port) => fixedHostPortOf(port) !== undefined)
  return {
    service,
    ...(containerName !== undefined ? { containerName } : {}),
    ...(networkMode !== undefined ? { networkMode } : {}),
    declaredScale: count('scale') ?? count('replicas') ?? 1,
    ...(order !== undefined ? { order } : {}),
    stopGraceMs: parseDuration(one('stop_grace_period') ?? '') ?? DEFAULT_STOP_GRACE_MS,
    healthcheck: healthcheck === 'test' || healthcheck === 'disable' ? healthcheck : 'none',
    ports,
    ...(fixedHostPort !== undefined ? { fixedHostPort } : {}),
    ...(hash !== undefined ? { hash } : {}),
    writableMounts: (byKey.get('volume') ?? []).filter((mode) => mode === 'rw').length
  }
}

/**
 * The fixed host port a `ports` item binds (`8080:80`, `127.0.0.1:8080:80/udp`, `published=8080,…`), or undefined
 * when any two containers can both bind theirs: no published port (`80`, `127.0.0.1::80`, `target=80`), a range
 * (`8000-8010:80`: each container takes a free one) or 0.
 */
function fixedHostPortOf(item: string): string | undefined {
  let published: string | undefined
  if (item.includes('=')) {
    published = item
      .split(',')
      .find((field) => field.startsWith('published='))
      ?.slice('published='.length)
  } else {
    const parts = item.replace(/\/\w+$/, '').split(':')
    published = parts.length >= 2 ? parts[parts.length - 2] : undefined
  }
  return published !== undefined && /^[1-9]\d*$/.test(published) ? published : undefined
}

/** The update order of each service in scope, sorted by name, with the reason a log line gives. */
export function decideOrders(
  input: UpdateOrder,
  facts: ReadonlyMap<string, ServiceFacts>,
  opts: DecideOptions = {}
): ServiceOrder[] {
  const scope = opts.services?.length ? new Set(opts.services) : undefined
  return [...facts.values()]
    .filter((f) => !scope || scope.has(f.service))
    .sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0))
    .map((f) => ({ service: f.service, ...decideOrder(input, f, opts) }))
}

function decideOrder(input: UpdateOrder, f: ServiceFacts, opts: DecideOptions): Omit<ServiceOrder, 'service'> {
  if (opts.changed && !opts.changed.has(f.service))
    return { order: 'unchanged', reason: 'its containers do not change' }
  const blocker = sideBySideBlocker(f, opts.oneShot)
  if (blocker) {
    const asked =
      f.order === 'start-first'
        ? 'deploy.update_config.order start-first'
        : input === 'start-first'
          ? 'update-order: start-first'
          : undefined
    return { order: 'stop-first', reason: `${blocker.what}: ${blocker.why}${asked ? `; ${asked} cannot apply` : ''}` }
  }
  if (f.order === 'start-first' || f.order === 'stop-first') {
    return { order: f.order, reason: 'deploy.update_config.order in the compose file' }
  }
  if (input === 'stop-first') return { order: 'stop-first', reason: 'update-order: stop-first' }
  // Two containers writing one volume at once (a database's data) can corrupt it: `auto` never risks it; the
  // compose file's own order (or update-order: start-first) says when the service is built for it.
  if (input === 'auto' && f.writableMounts > 0) {
    return {
      order: 'stop-first',
      reason:
        'writes to a mounted volume, which two containers would write at once; deploy.update_config.order start-first allows it'
    }
  }
  return {
    order: 'start-first',
    reason: input === 'auto' ? 'can run beside its old containers' : 'update-order: start-first'
  }
}

/** Why a second container of the service cannot run beside the first, if it cannot. */
function sideBySideBlocker(f: ServiceFacts, oneShot?: ReadonlySet<string>): { what: string; why: string } | undefined {
  if (oneShot?.has(f.service)) return { what: 'runs once and exits', why: 'nothing to keep serving meanwhile' }
  if (f.containerName !== undefined) {
    return { what: `container_name "${f.containerName}"`, why: 'a second container cannot have the same name' }
  }
  if (f.networkMode === 'host') {
    return { what: 'network_mode host', why: 'a second container would bind the same host ports' }
  }
  const port = f.fixedHostPort !== undefined ? fixedHostPortOf(f.fixedHostPort) : undefined
  if (port !== undefined) return { what: `publishes host port ${port}`, why: 'a second container cannot bind it' }
  return undefined
}
