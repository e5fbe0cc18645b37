/** Service events streamed to the log while an ECS deployment is followed. */
import type { Service } from '@aws-sdk/client-ecs'
import type { Logger } from '../../types.js'

/** Logs each service event once, oldest first, from `since` (ms since epoch) on. */
export class EventStream {
  private readonly seen = new Set<string>()

  constructor(
    private readonly log: Logger,
    private readonly since: number
  ) {}

  push(service: Service): void {
    const fresh = (service.events ?? []).filter(
      (e) => (e.createdAt?.getTime() ?? 0) >= this.since && !this.seen.has(e.id ?? e.message ?? '')
    )
    for (const event of fresh.reverse()) {
      this.seen.add(event.id ?? event.message ?? '')
      this.log.info(`  [service event] ${event.message ?? ''}`)
    }
  }
}
