/** Durations in words, written the same way by every strategy. */

/** For tables (the job summary, a host's phases): `250 ms`, `4.2 s`, `3 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(1)} s`
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`
}

/** For log lines and messages, in seconds: one decimal below 10 s, none from there (`0.3 s`, `2 s`, `1.5 s`, `12 s`). */
export function formatSeconds(ms: number): string {
  const s = ms / 1000
  return `${s < 9.95 ? Number(s.toFixed(1)) : Math.round(s)} s`
}
