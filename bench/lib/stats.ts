/** Small statistics and formatting helpers for the benchmarks (pure). */

export interface Summary {
  n: number
  median: number
  min: number
  max: number
  mean: number
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { n: 0, median: Number.NaN, min: Number.NaN, max: Number.NaN, mean: Number.NaN }
  return {
    n: values.length,
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    mean: values.reduce((a, b) => a + b, 0) / values.length
  }
}

/** `a / b`, or NaN when either is missing or b is 0. */
export function ratio(a: number | undefined, b: number | undefined): number {
  return a === undefined || b === undefined || b === 0 ? Number.NaN : a / b
}

/** Rounds for the results file: 1 decimal for ms and MiB, 2 for ratios; NaN becomes null. */
export function round(value: number | undefined, digits = 1): number | null {
  if (value === undefined || !Number.isFinite(value)) return null
  const f = 10 ** digits
  return Math.round(value * f) / f
}

export function fmtMs(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return 'n/a'
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`
}

export function fmtRatio(r: number | undefined | null): string {
  return r === undefined || r === null || !Number.isFinite(r) ? 'n/a' : `${r.toFixed(2)}×`
}

export function fmtMiB(mib: number | undefined | null): string {
  return mib === undefined || mib === null || !Number.isFinite(mib) ? 'n/a' : `${mib.toFixed(1)} MiB`
}

/** A plain-text table: first row is the header; columns padded; numbers-looking cells right-aligned. */
export function renderTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)))
  const numeric = /^[-+\d.,]+( ?(ms|s|MiB|×|%|\/min))?$|^n\/a$/
  return rows
    .map((row, r) =>
      row
        .map((cell, i) => {
          const pad = (widths[i] ?? 0) - [...cell].length
          return r > 0 && numeric.test(cell) ? ' '.repeat(pad) + cell : cell + ' '.repeat(pad)
        })
        .join('  ')
        .trimEnd()
    )
    .join('\n')
}

/** `ceil(hosts / batch)`: how many batches a fleet takes (the first batch the same size as the others). */
export function batchCount(hosts: number, batch: number): number {
  return Math.ceil(hosts / batch)
}

/** Evenly spread offsets in [0, span): run i of n gets (i + 0.5) / n × span, so every poll phase is sampled. */
export function stratified(i: number, n: number, span: number): number {
  return ((i + 0.5) / n) * span
}
