/** The inputs every strategy reads: image, time limit, dry run, rollback on failure. */
import { Inputs, type StrategyName } from '../constants.js'
import { FormError, IMAGE_FORM, parseBoolean, parseImage, type ImageRef } from './forms.js'
import type { InputReader } from './reader.js'

export interface CommonConfig {
  strategy: StrategyName
  image: ImageRef
  timeoutMinutes: number
  dryRun: boolean
  rollbackOnFailure: boolean
}

/** Stands in for a missing or bad image while the other inputs are read; a config holding it is never returned. */
export const PLACEHOLDER_IMAGE: ImageRef = { ref: '', name: '' }

/** The common inputs as read: `image` is undefined only when it is not required and unset. */
export type CommonInputs = Omit<CommonConfig, 'strategy' | 'image'> & { image?: ImageRef | undefined }

/**
 * The common inputs; the strategy is read first, by `readInputs`, since every other input depends on it. `image`
 * is optional when `imageOptional` (an ECS `task-definition` naming a registered revision).
 */
export function readCommon(r: InputReader, imageOptional = false): CommonInputs {
  return {
    image: imageOptional
      ? r.optional(Inputs.image, parseImage)
      : (r.required(
          Inputs.image,
          `for every strategy (for ECS, unless '${Inputs.taskDefinition}' names a registered revision)`,
          IMAGE_FORM,
          parseImage
        ) ?? PLACEHOLDER_IMAGE),
    timeoutMinutes: r.value(Inputs.timeoutMinutes, 30, (v) => {
      const n = /^[0-9]+(?:\.[0-9]+)?$/.test(v) ? Number(v) : NaN
      if (!(n > 0 && n <= 1440)) throw new FormError('a number of minutes greater than 0 and at most 1440')
      return n
    }),
    dryRun: r.value(Inputs.dryRun, false, parseBoolean),
    rollbackOnFailure: r.value(Inputs.rollbackOnFailure, true, parseBoolean)
  }
}
