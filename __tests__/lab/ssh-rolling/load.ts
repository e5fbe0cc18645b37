/**
 * The bench's bounded load generator (bench/lib/load.ts), bound to this lab's subnet: a few clients GET one URL back
 * to back until `stop()`, `maxRequests` or `maxMs`; it only sends to an address inside the lab's subnet.
 */
import { startLoad as startBoundedLoad, type Load, type LoadOptions } from '../../../bench/lib/load.js'
import { lab } from './helpers.js'

export type { Load, LoadResult } from '../../../bench/lib/load.js'

export function startLoad(url: string, options: Omit<LoadOptions, 'subnet'> = {}): Load {
  return startBoundedLoad(url, { maxRequests: 5000, maxMs: 60_000, ...options, subnet: lab().network.subnet })
}
