/** The inputs every strategy reads: image, time limit, dry run, rollback on failure, the verify gate. */
import { Inputs, type StrategyName } from '../constants.js'
import type { VerifyConfig } from '../verify.js'
import { FormError, IMAGE_FORM, parseBoolean, parseImage, positiveDuration, show, type ImageRef } from './forms.js'
import { InputError, type InputReader } from './reader.js'

export interface CommonConfig {
  strategy: StrategyName
  image: ImageRef
  timeoutMinutes: number
  dryRun: boolean
  rollbackOnFailure: boolean
  /** Absent: no verify gate. */
  verify?: VerifyConfig
}

const DEFAULT_VERIFY_TIMEOUT_MS = 5 * 60_000

/** Stands in for a missing or bad image while the other inputs are read; a config holding it is never returned. */
export const PLACEHOLDER_IMAGE: ImageRef = { ref: '', name: '' }

/** The common inputs as read: `image` is undefined only when it is not required and unset. */
export type CommonInputs = Omit<CommonConfig, 'strategy' | 'image'> & { image?: ImageRef | undefined }

/**
 * The common inputs; the strategy is read first, by `readInputs`, since every other input depends on it. `image`
 * is optional when `imageOptional` (an ECS `task-definition` naming a registered revision).
 */
export function readCommon(r: InputReader, imageOptional = false): CommonInputs {
  const image = imageOptional
    ? r.optional(Inputs.image, parseImage)
    : (r.required(
        Inputs.image,
        `for every strategy (for ECS, unless '${Inputs.taskDefinition}' names a registered revision)`,
        IMAGE_FORM,
        parseImage
      ) ?? PLACEHOLDER_IMAGE)
  const timeoutMinutes = r.value(Inputs.timeoutMinutes, 30, (v) => {
    const n = /^[0-9]+(?:\.[0-9]+)?$/.test(v) ? Number(v) : NaN
    if (!(n > 0 && n <= 1440)) throw new FormError('a number of minutes greater than 0 and at most 1440')
    return n
  })
  const dryRun = r.value(Inputs.dryRun, false, parseBoolean)
  const rollbackOnFailure = r.value(Inputs.rollbackOnFailure, true, parseBoolean)
  const verify = readVerify(r, timeoutMinutes)
  return {
    image,
    timeoutMinutes,
    dryRun,
    rollbackOnFailure,
    ...(verify ? { verify } : {})
  }
}

/** The verify gate: the command (empty: none) and its timeout, within the run's time limit. */
function readVerify(r: InputReader, timeoutMinutes: number): VerifyConfig | undefined {
  const timeoutMs = r.optional(Inputs.verifyTimeout, positiveDuration)
  const limitMs = timeoutMinutes * 60_000
  if (timeoutMs !== undefined && timeoutMs > limitMs && !r.failed(Inputs.timeoutMinutes)) {
    const input = Inputs.verifyTimeout
    const message = `Invalid '${input}': expected at most '${Inputs.timeoutMinutes}' (${timeoutMinutes} min), got ${show(r.get(input))}`
    r.add(new InputError([{ input, message }]))
    return undefined
  }
  const command = r.get(Inputs.verifyCommand)
  if (command === '') return undefined
  return { command, timeoutMs: timeoutMs ?? Math.min(DEFAULT_VERIFY_TIMEOUT_MS, limitMs) }
}
