/** Fixed limits of the ssh-rolling strategy (not inputs: sensible for every fleet). */

/** Pre-flight fails below this much free space on app-dir's filesystem (a pull needs room). */
export const MIN_FREE_DISK_BYTES = 1024 ** 3
/** How often a held deploy lock is tried again while waiting for it. */
export const LOCK_POLL_MS = 5_000
/**
 * A deploy lock expires this long after its last renewal, by the host's clock. When the main step is killed, the
 * post step starts right after and is itself killed after ~5 minutes: the lock, renewed at most LOCK_RENEW_MS
 * before the kill, is still this run's for at least 9 minutes, so the post step's rollback finds it its own. A run
 * that vanishes without a post step blocks the host for at most this long.
 */
export const LOCK_TTL_SECONDS = 10 * 60
/** How often a held lock is renewed (well inside LOCK_TTL_SECONDS: nine renewals can fail before it expires). */
export const LOCK_RENEW_MS = 60_000
/** Hosts checked at once in pre-flight (a jump host's sshd throttles parallel handshakes, MaxStartups 10). */
export const PREFLIGHT_CONCURRENCY = 8
export const SSH_READY_TIMEOUT_MS = 20_000
/**
 * Keepalive: a server that answers nothing for up to interval × count (6 s: a busy host, a slow link) is still
 * there; a cut link is noticed after (count + 1) × interval (8 s), and an exec then ends with no exit code.
 */
export const SSH_KEEPALIVE_INTERVAL_MS = 2_000
export const SSH_KEEPALIVE_COUNT_MAX = 3
/** Waits before connection attempts 2 and 3. Connection setup is retried; deploy commands never are. */
export const SSH_RETRY_DELAYS_MS = [2_000, 5_000] as const
/** Budget of each rollback step and of a whole host's rollback health gate, independent of the deploy deadline. */
export const ROLLBACK_STEP_TIMEOUT_MS = 5 * 60_000
/** One look at the containers (compose v1 alone takes ~1 s to start). */
export const CONTAINER_PROBE_TIMEOUT_MS = 60_000
/** Small bookkeeping steps: lock, unlock, audit, diagnostics. */
export const SHORT_STEP_TIMEOUT_MS = 60_000
/** How long a stopped phase's process group gets after TERM before KILL, in the stop script's 0.2 s naps (10 s). */
export const STOP_TERM_NAPS = 50
/** The whole stop round trip: TERM's wait, KILL's 5 s, and the connection. */
export const STOP_TIMEOUT_MS = 30_000
/** What one phase may print on one stream to the job log; the rest is counted, not shown. */
export const PHASE_LOG_MAX_BYTES = 1024 ** 2
/** A longer line is shown in pieces of this many characters, so a stream without line breaks stays bounded. */
export const LOG_LINE_MAX_CHARS = 16 * 1024
/** The end of each stream a phase keeps for its result line and failure details. */
export const EXEC_TAIL_MAX_CHARS = 256 * 1024
/** A phase printing more than this (stdout and stderr together) is stopped: a runaway command, not a deploy step. */
export const PHASE_OUTPUT_MAX_BYTES = 64 * 1024 ** 2
