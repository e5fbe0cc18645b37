/** What the phases of one run share: the injected side effects, the lock identity, and the journal writer. */
import type { SshRollingConfig } from './config.js'
import type { RunIdentity } from '../../deps.js'
import type { Clock, Journal, Logger } from '../../types.js'
import type { SshConnector } from './connection.js'
import { toRecord, type HostRecord, type HostState } from './host-state.js'

/** An HTTP GET for health checks from the runner; rejects on network errors and timeouts. */
export type HttpGet = (url: string, options: { timeoutMs: number; signal?: AbortSignal }) => Promise<{ status: number }>

/** This run's identity in a host's deploy lock. */
export interface LockIdentity {
  /** Random per run: only a lock holding it is ours to release. */
  token: string
  /** The owner.json written into the lock (run URL, actor, start). */
  ownerJson: string
}

export interface SshRun {
  config: SshRollingConfig
  log: Logger
  clock: Clock
  connector: SshConnector
  http: HttpGet
  hostJournal: HostJournal
  lock: LockIdentity
  identity: RunIdentity
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
export async function settlePending(run: SshRun): Promise<void> {
  while (run.pending.length) await Promise.allSettled(run.pending.splice(0))
}

export interface SshRecord {
  token: string
  ownerJson: string
  /** `rollback-to`: the run's target in words (`previous` or a backup's name); absent for a deploy. */
  rollbackTo?: string
  hosts: Record<string, HostRecord>
}

export const JOURNAL_KEY = 'sshRolling'

/** Writes progress to the journal as it happens (each update is persisted at once). */
export class HostJournal {
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

  /** Journals what changed in the host's record since it was last saved (nothing when nothing did). */
  save(host: HostState): void {
    const saved = this.record.hosts[host.name] ?? {}
    const patch = Object.fromEntries(
      Object.entries(toRecord(host)).filter(
        ([key, value]) => JSON.stringify(value) !== JSON.stringify(saved[key as keyof HostRecord])
      )
    )
    if (Object.keys(patch).length > 0) this.host(host.name, patch)
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
    ...(typeof value.rollbackTo === 'string' ? { rollbackTo: value.rollbackTo } : {}),
    hosts: { ...(value.hosts as Record<string, HostRecord>) }
  }
}
