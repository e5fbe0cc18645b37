/** The only module that reads inputs: raw strings in, one typed and validated `Config` out. */
import type { Config, ImageRef } from './config.js'
import { Inputs, Strategies, type StrategyName } from './constants.js'
import type { InputSource } from './deps.js'
import type { Logger } from './types.js'

/** A bad input: the message names the input, the position and the expected form. */
export class InputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InputError'
  }
}

const IMAGE_RE =
  /^(?:(?<registry>(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?|\[[0-9a-fA-F:]+\](?::[0-9]+)?)\/)?(?<name>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$/

export function parseImage(value: string): ImageRef {
  const m = IMAGE_RE.exec(value)
  if (!m?.groups) {
    throw new InputError(
      `Invalid '${Inputs.image}': expected an image reference [registry[:port]/]name[:tag][@sha256:<64 hex>], got '${value}'`
    )
  }
  let { registry, name } = m.groups as { registry?: string; name: string }
  // `library/nginx` has no registry: a first component is a registry only with a dot, a port or `localhost`.
  if (registry && !/[.:]|^localhost$|^\[/.test(registry)) {
    name = `${registry}/${name}`
    registry = undefined
  }
  const ref: ImageRef = { ref: value, name }
  if (registry) ref.registry = registry
  if (m.groups.tag) ref.tag = m.groups.tag
  if (m.groups.digest) ref.digest = m.groups.digest
  return ref
}

function required(source: InputSource, name: string, why: string): string {
  const value = source.getInput(name)
  if (!value) throw new InputError(`Missing '${name}': required ${why}`)
  return value
}

export function readInputs(source: InputSource, env: NodeJS.ProcessEnv, log: Logger): Config {
  void env
  void log
  const strategy = source.getInput(Inputs.strategy)
  if (!(Strategies as readonly string[]).includes(strategy)) {
    throw new InputError(
      `${strategy ? 'Invalid' : 'Missing'} '${Inputs.strategy}': expected one of ${Strategies.join(', ')}${strategy ? `, got '${strategy}'` : ''}`
    )
  }
  const image = parseImage(required(source, Inputs.image, 'for every strategy'))
  throw new InputError(`Strategy '${strategy as StrategyName}' is not available yet (image ${image.ref})`)
}

/** The configuration as shown in the job summary: secrets left out. */
export function configView(config: Config): Record<string, unknown> {
  const view: Record<string, unknown> = { ...config }
  for (const key of ['privateKey', 'passphrase', 'taskDefinitionDocument', 'appspecDocument', 'env']) delete view[key]
  return view
}
