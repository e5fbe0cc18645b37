/** The inputs every strategy reads: image or rollback target, time limit, dry run, rollback on failure, the verify gate. */
import { Inputs, type StrategyName } from '../constants.js'
import type { VerifyConfig } from '../verify.js'
import { FormError, IMAGE_FORM, parseBoolean, parseImage, positiveDuration, show, type ImageRef } from './forms.js'
import { InputError, type InputReader } from './reader.js'

/**
 * `rollback-to`: restore an earlier release instead of deploying `image`. `previous` is the release before the one
 * that runs now; a named one is in the strategy's own form (an ssh-rolling backup, an ECS task definition revision).
 */
export type RollbackTarget = { kind: 'previous' } | { kind: 'named'; name: string }

export interface CommonConfig {
  strategy: StrategyName
  image: ImageRef
  /** Absent: a deploy of `image`. */
  rollbackTo?: RollbackTarget
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

/** A strategy's named form of `rollback-to`: its description, and a parser that throws `FormError`. */
export interface RollbackNameForm {
  form: string
  parse: (value: string) => string
}

export interface CommonOptions {
  /** An ECS `task-definition` names a registered revision: no image goes into it. */
  imageOptional?: boolean
  /** The strategy's named form of `rollback-to`; absent when the strategy is unknown (its name is not checked). */
  rollbackName?: RollbackNameForm | undefined
}

/**
 * The common inputs; the strategy is read first, by `readInputs`, since every other input depends on it. `image`
 * is optional when `imageOptional` (an ECS `task-definition` naming a registered revision) and when `rollback-to`
 * is given, which refuses it.
 */
export function readCommon(r: InputReader, options: CommonOptions = {}): CommonInputs {
  const rollbackTo = readRollbackTo(r, options.rollbackName)
  const rollback = r.get(Inputs.rollbackTo) !== ''
  const image =
    options.imageOptional || rollback
      ? r.optional(Inputs.image, parseImage)
      : (r.required(
          Inputs.image,
          `for every strategy unless '${Inputs.rollbackTo}' is given (for ECS, unless '${Inputs.taskDefinition}' names a registered revision)`,
          IMAGE_FORM,
          parseImage
        ) ?? PLACEHOLDER_IMAGE)
  if (rollback && r.get(Inputs.image) !== '') {
    const message = `Invalid '${Inputs.rollbackTo}': expected either '${Inputs.image}' (deploy it) or '${Inputs.rollbackTo}' (go back to an earlier release), got both`
    r.add(new InputError([{ input: Inputs.rollbackTo, message }]))
  }
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
    ...(rollbackTo ? { rollbackTo } : {}),
    timeoutMinutes,
    dryRun,
    rollbackOnFailure,
    ...(verify ? { verify } : {})
  }
}

/** `previous`, or a name in the strategy's form; undefined when unset or bad. */
function readRollbackTo(r: InputReader, named: RollbackNameForm | undefined): RollbackTarget | undefined {
  return r.optional(Inputs.rollbackTo, (v): RollbackTarget => {
    if (v === 'previous') return { kind: 'previous' }
    if (!named) return { kind: 'named', name: v }
    try {
      return { kind: 'named', name: named.parse(v) }
    } catch (error) {
      if (error instanceof FormError) throw new FormError(`previous or ${named.form}`, error.got)
      throw error
    }
  })
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
