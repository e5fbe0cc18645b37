/** What the phases of one run share: the injected side effects, the lock identity, and each host's state. */
import type { HostTarget, SshRollingConfig } from './config.js'
import type { Clock, Journal, Logger, PhaseReport } from '../../types.js'
import type { SshConnector, SshSession } from './connection.js'
import type { ServiceFacts, ServiceOrder } from './update-order.js'

export type ComposeKind = 'v1' | 'v2'

/** An HTTP GET for health checks from the runner; rejects on network errors and timeouts. */
export type HttpGet = (url: string, options: { timeoutMs: number; signal?: AbortSignal }) => Promise<{ status: number }>

/** This run's identity in a host's deploy lock. */
export interface LockIdentity {
  /** Random per run: only a lock holding it is ours to release. */
  token: string
  /** The owner.json written into the lock (run URL, actor, start). */
  ownerJson: string
}

export interface RunEnv {
  config: SshRollingConfig
  log: Logger
  clock: Clock
  connector: SshConnector
  http: HttpGet
  progress: Progress
  lock: LockIdentity
  runUrl?: string
  actor: string
  /** Epoch ms: the forward deploy (not its rollback) must finish by then. */
  deadline: number
  /** The name of this run's backup folder on every host. */
  backupStamp: string
  /** The `.env` lines `apply` merges (secret: goes to the host on stdin only). */
  envInput: string
  /** Aborts when the job is cancelled: stop starting new work. */
  signal: AbortSignal
  /** Remote work started without waiting for it (a deployed host's audit line): settled before rollback and unlock. */
  pending: Promise<void>[]
}

/** Waits for the work `run.pending` holds; it never rejects (each piece reports its own failure). */
export async function settlePending(run: RunEnv): Promise<void> {
  while (run.pending.length) await Promise.allSettled(run.pending.splice(0))
}

/** One host as the run sees it; the journal holds the part recovery needs. */
export interface HostState {
  target: HostTarget
  /** The host as the user wrote it. */
  name: string
  session?: SshSession
  /** Why the last connection attempt (with its retries) failed; cleared by the next success. */
  unreachable?: string
  compose?: ComposeKind
  /** The compose project name pre-flight confirmed: later phases find its containers with docker alone. */
  project?: string
  /**
   * The services a container check expects a container of (with no `services` input): those that ran before the
   * deploy (the backup's images). The check adds every service that has a container by then.
   */
  services?: string[]
  /** One-shot services among them (their container had exited with code 0): the check accepts that state. */
  completedServices?: string[]
  imageBefore?: string
  backupDir?: string
  /** Each service's update order on this host, decided after the pull; absent: one `compose up` (stop-first). */
  orders?: ServiceOrder[]
  /** The new configuration's facts per service (declared scale, stop grace period), read during the pull. */
  facts?: Map<string, ServiceFacts>
  /** A start-first replacement began on this host: what a rollback must know about it. */
  startFirst?: StartFirstRecord
  /** A pull ran on the host (it may have moved a tag): unless the host changed, its unlock tags the backup's images again. */
  pulled?: boolean
  preflightError?: string
  locked: boolean
  /** Its turn in a batch began: if it ends neither deployed nor rolled back, it gets a `failed` audit line. */
  started: boolean
  changed: boolean
  deployed: boolean
  rolledBack: boolean
  cancelled: boolean
  failedPhase?: string
  error?: string
  rollbackError?: string
  /** A phase lost its exit status and could not be confirmed stopped: why. Such a host is never rolled back. */
  unstopped?: string
  /** Why this host was rolled back when it did not fail itself (fleet rollback, cancellation). */
  rollbackReason?: string
  /** Order in which hosts were changed: rollback goes in reverse. */
  changeOrder?: number
  phases: PhaseReport[]
  durationMs: number
}

export function newHostState(target: HostTarget): HostState {
  return {
    target,
    name: target.spec,
    locked: false,
    started: false,
    changed: false,
    deployed: false,
    rolledBack: false,
    cancelled: false,
    phases: [],
    durationMs: 0
  }
}

/**
 * A start-first replacement on one host. Until `switching`, the old containers never stopped: a rollback removes the
 * new ones (those the backup does not list) and changes nothing else. From `switching` on, the usual rollback applies.
 */
export interface StartFirstRecord {
  services: { service: string; graceSeconds: number }[]
  switching?: boolean
}

/** What the journal keeps per host: enough for the post step to roll back and unlock. */
export interface HostRecord {
  /** Pre-flight ran (a lock may be held even if `locked` was never recorded). */
  lockTried?: boolean
  locked?: boolean
  compose?: ComposeKind
  imageBefore?: string
  backupDir?: string
  pulled?: boolean
  changed?: boolean
  changeOrder?: number
  startFirst?: StartFirstRecord
  deployed?: boolean
  rolledBack?: boolean
}

export interface SshRecord {
  token: string
  ownerJson: string
  hosts: Record<string, HostRecord>
}

export const JOURNAL_KEY = 'sshRolling'

/** Writes progress to the journal as it happens (each update is persisted at once). */
export class Progress {
  private changes = 0
  constructor(
    private readonly journal: Journal,
    readonly record: SshRecord
  ) {
    for (const h of Object.values(record.hosts)) this.changes = Math.max(this.changes, h.changeOrder ?? 0)
    journal.update({ [JOURNAL_KEY]: record })
  }

  /** Records what changed on one host: only that host's fields go to the journal (O(1) per update). */
  host(name: string, patch: HostRecord): void {
    this.record.hosts[name] = { ...this.record.hosts[name], ...patch }
    this.journal.update({ [JOURNAL_KEY]: { hosts: { [name]: patch } } } as Record<string, unknown>)
  }

  /** The next number in the order hosts are changed. */
  nextChange(): number {
    return ++this.changes
  }
}

/** The journal's ssh-rolling record, if it has a well-formed one. */
export function readRecord(journal: Journal): SshRecord | undefined {
  const value = journal.read()[JOURNAL_KEY] as Partial<SshRecord> | undefined
  if (!value || typeof value !== 'object' || typeof value.token !== 'string' || typeof value.hosts !== 'object') {
    return undefined
  }
  return {
    token: value.token,
    ownerJson: typeof value.ownerJson === 'string' ? value.ownerJson : '{}',
    hosts: { ...(value.hosts as Record<string, HostRecord>) }
  }
}
