/** Splits the fleet into batches: pure. */
import type { BatchSize } from './config.js'

/** How many hosts one batch holds: `N`, or `N%` of the fleet rounded up; at least 1. */
export function batchCount(size: BatchSize, total: number): number {
  const n = size.kind === 'count' ? Math.floor(size.value) : Math.ceil((size.value * total) / 100)
  return Math.max(1, n)
}

/**
 * Hosts in deploy order, cut into batches of `batchSize`; with `firstBatchSize` the first batch (a canary)
 * has its own size. Every host is in exactly one batch, in the order given.
 */
export function planBatches<T>(hosts: readonly T[], batchSize: BatchSize, firstBatchSize?: BatchSize): T[][] {
  const batches: T[][] = []
  let index = 0
  if (firstBatchSize && hosts.length > 0) {
    const first = batchCount(firstBatchSize, hosts.length)
    batches.push(hosts.slice(0, first))
    index = first
  }
  const size = batchCount(batchSize, hosts.length)
  for (; index < hosts.length; index += size) batches.push(hosts.slice(index, index + size))
  return batches
}
