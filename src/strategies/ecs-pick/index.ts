/**
 * Strategy `ecs`: reads the service and takes the path it needs — CodeDeploy blue/green for the CODE_DEPLOY
 * controller, a rolling update for ECS with the ROLLING strategy, ECS-managed blue/green (ecs-native) for ECS with
 * BLUE_GREEN, LINEAR or CANARY — then runs that strategy. The pick is journaled,
 * so the post step recovers with the same path.
 */
import type { Deps } from '../../deps.js'
import { errorMessage } from '../../error-message.js'
import type { DeployResult, RunContext, Strategy } from '../../types.js'
import { createEcsClient } from '../ecs/clients.js'
import type { EcsJournal } from '../ecs/journal.js'
import { describeService } from '../ecs/preflight.js'
import { targetReport } from '../ecs/report.js'
import { CODEDEPLOY_INPUTS, type EcsPickConfig } from './config.js'
import { pickPath, type EcsPath, type PickedPath } from './pick.js'

/** The strategy of `path`, with the config it reads (each loaded only when picked: only one loads CodeDeploy). */
async function createPath(config: EcsPickConfig, path: EcsPath, deps: Deps): Promise<Strategy<EcsJournal>> {
  const { blueGreenInputs, ...rest } = config
  void blueGreenInputs
  if (path === 'ecs-blue-green') {
    const { createEcsBlueGreen } = await import('../ecs-blue-green/index.js')
    return createEcsBlueGreen({ ...rest, strategy: path }, deps)
  }
  if (path === 'ecs-native') {
    const { createEcsNative } = await import('../ecs-native/index.js')
    return createEcsNative({ ...rest, strategy: path }, deps)
  }
  const { createEcsRolling } = await import('../ecs-rolling/index.js')
  return createEcsRolling({ ...rest, strategy: path }, deps)
}

/** The summary says which path was taken, first. */
function withPath(result: DeployResult, picked: PickedPath): DeployResult {
  const section = { title: `Path: ${picked.path}`, body: `Strategy \`ecs\` picked \`${picked.path}\`: ${picked.why}.` }
  return { ...result, sections: [section, ...(result.sections ?? [])] }
}

export function createEcsPick(config: EcsPickConfig, deps: Deps): Strategy<EcsJournal> {
  const label = `${config.cluster}/${config.service}`

  /** Reads the service (no change) and picks its path; an error when no path of this action fits. */
  const pick = (signal: AbortSignal): Promise<PickedPath> =>
    deps.log.group(`Pick the path for ecs service ${label}`, async () => {
      const service = await describeService(
        createEcsClient(config.region, deps),
        config.cluster,
        config.service,
        signal
      )
      const picked = pickPath(service, label)
      deps.log.info(`Strategy ecs: ${picked.path}, as ${picked.why}`)
      const unused =
        picked.path === 'ecs-rolling'
          ? config.blueGreenInputs
          : picked.path === 'ecs-native'
            ? config.blueGreenInputs.filter((n) => CODEDEPLOY_INPUTS.includes(n))
            : []
      if (unused.length > 0) {
        const names = unused.map((n) => `'${n}'`).join(', ')
        const how = picked.path === 'ecs-rolling' ? 'a rolling update' : 'an ECS-managed deployment'
        deps.log.warning(
          `${names} ${unused.length === 1 ? 'is' : 'are'} not used: ${picked.why}, so it is deployed with ${how}, not CodeDeploy`
        )
      }
      return picked
    })

  const notDeployed = (ctx: RunContext<EcsJournal>, text: string, durationMs: number): DeployResult => {
    ctx.journal.update({ phase: 'finished' })
    return {
      status: 'failed',
      message: text,
      targets: [
        targetReport({
          cluster: config.cluster,
          service: config.service,
          outcome: 'untouched',
          state: 'nothing deployed',
          error: text,
          durationMs,
          phases: [{ name: 'pick', ok: false, durationMs, detail: text }]
        })
      ],
      outputs: {}
    }
  }

  return {
    async deploy(ctx) {
      const start = deps.clock.now()
      let picked: PickedPath
      try {
        picked = await pick(ctx.signal)
      } catch (error) {
        return notDeployed(ctx, errorMessage(error), deps.clock.now() - start)
      }
      ctx.journal.update({ path: picked.path })
      const strategy = await createPath(config, picked.path, deps)
      return withPath(await strategy.deploy(ctx), picked)
    },
    async recover(ctx) {
      const path = ctx.journal.read().path
      // No path journaled: the main step stopped before picking one, so nothing changed.
      if (!path) return undefined
      const strategy = await createPath(config, path, deps)
      const result = await strategy.recover(ctx)
      return result && withPath(result, { path, why: 'the path the main step took' })
    }
  }
}
