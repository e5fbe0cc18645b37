/**
 * Renewal of the deploy locks a run holds: every LOCK_RENEW_MS, each locked host's `renew` pushes its lock out to
 * LOCK_TTL_SECONDS again, over the host's open session (a channel of its own, beside the phase running there), so
 * a deploy longer than the TTL never outlives its lock, and a run that vanishes leaves it behind for one TTL at most.
 */
import type { SshRun } from './context.js'
import type { HostState } from './host-state.js'
import { LOCK_RENEW_MS, LOCK_TTL_SECONDS, SHORT_STEP_TIMEOUT_MS } from './limits.js'
import { describeLockOwner } from './preflight.js'
import { runScript } from './run-script.js'

export interface LockRenewal {
  /** Stops renewing and waits for a renewal under way: call it before the locks are released. */
  stop(): Promise<void>
}

/**
 * Renews the locks of `hosts` that hold theirs at each tick, until stopped. A tick does not wait for the last one's
 * renewals, and a host whose renewal is still under way (an unresponsive host) is skipped. Failures are warnings.
 */
export function startLockRenewal(run: SshRun, hosts: readonly HostState[]): LockRenewal {
  const stopped = new AbortController()
  const inFlight = new Map<HostState, Promise<void>>()
  const loop = (async () => {
    for (;;) {
      await run.clock.after(LOCK_RENEW_MS, stopped.signal)
      if (stopped.signal.aborted) return
      for (const host of hosts) {
        if (host.lock !== 'held' || inFlight.has(host)) continue
        inFlight.set(
          host,
          renewLock(run, host).finally(() => inFlight.delete(host))
        )
      }
    }
  })()
  return {
    stop: async () => {
      stopped.abort()
      await loop
      await Promise.all(inFlight.values())
    }
  }
}

/** One renewal. Never reconnects: a lost connection is the deploy's to notice; the lock then expires on its own. */
export async function renewLock(run: SshRun, host: HostState): Promise<void> {
  const { log } = run
  // Not connected yet (the post step connects as it goes): its lock was renewed at most one period ago.
  if (!host.session) return
  if (!host.session.alive) {
    log.warning(`${host.name}: could not renew the deploy lock (the connection is lost)`)
    return
  }
  const r = await runScript(
    run,
    host,
    'renew',
    'renew',
    { appDir: run.config.appDir, token: run.lock.token, ttlSeconds: LOCK_TTL_SECONDS },
    {
      timeoutMs: SHORT_STEP_TIMEOUT_MS,
      unreported: true,
      quiet: true
    }
  )
  if (!r.ok || !r.result) {
    log.warning(`${host.name}: could not renew the deploy lock: ${r.error ?? 'no result'}`)
  } else if (r.result.lock === 'renewed') {
    log.debug(`[${host.name}] deploy lock renewed for ${LOCK_TTL_SECONDS} s`)
  } else if (r.result.lock === 'other') {
    log.warning(
      `${host.name}: the deploy lock is now held by ${describeLockOwner(r.result.owner)}: this run's expired and was taken over`
    )
  } else {
    log.warning(`${host.name}: could not renew the deploy lock: it is no longer there`)
  }
}
