/**
 * The typed configuration: a discriminated union keyed on the strategy, and `readInputs`, the one place inputs are
 * read into it. Generic forms live in `src/inputs/`; each strategy's `config.ts` reads its own inputs. Only local
 * files are read (task definition, AppSpec); nothing remote is contacted.
 */
import { Inputs, Strategies, type StrategyName } from './constants.js'
import type { InputSource } from './deps.js'
import { readCommon, type CommonConfig, type CommonInputs, type RollbackNameForm } from './inputs/common.js'
import { parseEnum } from './inputs/forms.js'
import { InputError, InputReader, isJsonFile, missing, type ReadContext, type YamlParse } from './inputs/reader.js'
import { redactUrl } from './redact-url.js'
import { readEcsBlueGreenConfig, type EcsBlueGreenConfig } from './strategies/ecs-blue-green/config.js'
import { readEcsNativeConfig, type EcsNativeConfig } from './strategies/ecs-native/config.js'
import { readEcsPickConfig, type EcsPickConfig } from './strategies/ecs-pick/config.js'
import { readEcsRollingConfig, type EcsRollingConfig } from './strategies/ecs-rolling/config.js'
import { isTaskDefinitionRevision, parseTaskDefinitionRevision, REVISION_FORM } from './strategies/ecs/config.js'
import {
  BACKUP_NAME_FORM,
  parseBackupName,
  readSshRollingConfig,
  type SshRollingConfig
} from './strategies/ssh-rolling/config.js'
import { describeKnownHost } from './strategies/ssh-rolling/known-hosts.js'
import type { Logger } from './types.js'

/** Each strategy's named form of `rollback-to` (besides `previous`). */
const ROLLBACK_NAMES: Record<StrategyName, RollbackNameForm> = {
  ecs: { form: REVISION_FORM, parse: parseTaskDefinitionRevision },
  'ecs-rolling': { form: REVISION_FORM, parse: parseTaskDefinitionRevision },
  'ecs-blue-green': { form: REVISION_FORM, parse: parseTaskDefinitionRevision },
  'ecs-native': { form: REVISION_FORM, parse: parseTaskDefinitionRevision },
  'ssh-rolling': { form: BACKUP_NAME_FORM, parse: parseBackupName }
}

export type Config = EcsPickConfig | EcsBlueGreenConfig | EcsNativeConfig | EcsRollingConfig | SshRollingConfig

async function readStrategyConfig(
  r: InputReader,
  common: CommonInputs & Pick<CommonConfig, 'strategy'>,
  context: ReadContext
): Promise<Config> {
  const strategy = common.strategy
  switch (strategy) {
    case 'ecs':
      return readEcsPickConfig(r, { ...common, strategy }, context)
    case 'ecs-rolling':
      return readEcsRollingConfig(r, common, context)
    case 'ecs-blue-green':
      return readEcsBlueGreenConfig(r, common, context)
    case 'ecs-native':
      return readEcsNativeConfig(r, common, context)
    case 'ssh-rolling':
      return readSshRollingConfig(r, { ...common, strategy }, context)
    default: {
      const unknown: never = strategy
      throw new Error(`Unknown strategy ${String(unknown)}`)
    }
  }
}

/**
 * Reads every input of the chosen strategy into one validated `Config`; inputs of other strategies are ignored.
 * Reads them all before it fails: `InputError` then lists every bad input (each one line: input, position,
 * expected form, value). An input that can only be checked once another is valid (the strategy's own inputs, a
 * container of the task definition, the private key's passphrase) is checked when that one is; the private key is
 * parsed, by ssh2, once every other input is valid. `parseYaml` (from `yamlFor`) is needed when an input names a
 * YAML file.
 */
export async function readInputs(
  source: InputSource,
  env: NodeJS.ProcessEnv,
  log: Logger,
  parseYaml?: YamlParse
): Promise<Config> {
  const r = new InputReader(source)
  const strategyForm = `one of ${Strategies.join(', ')}`
  if (r.get(Inputs.strategy) === '') r.add(missing(Inputs.strategy, `required; expected ${strategyForm}`))
  const strategy = r.optional(Inputs.strategy, (v) => parseEnum<StrategyName>(v, Strategies))
  // An ECS task definition revision is deployed as registered: no image goes into it.
  const ecs = strategy !== undefined && strategy !== 'ssh-rolling'
  const common = readCommon(r, {
    imageOptional: ecs && isTaskDefinitionRevision(r.get(Inputs.taskDefinition)),
    rollbackName: strategy ? ROLLBACK_NAMES[strategy] : undefined
  })
  // The other inputs depend on the strategy: without a valid one they are not read at all.
  const config = strategy ? await readStrategyConfig(r, { ...common, strategy }, { env, log, parseYaml }) : undefined
  if (r.problems.length > 0 || !config) throw new InputError(r.problems)
  return config
}

/**
 * The YAML parser when an input names a YAML file (a task definition or AppSpec not called *.json), loaded then
 * and only then; `readInputs` needs it for such files.
 */
export async function yamlFor(source: InputSource): Promise<YamlParse | undefined> {
  const files = [Inputs.taskDefinition, Inputs.codedeployAppspec].map((n) => source.getInput(n).trim())
  if (!files.some((f) => f && !isJsonFile(f))) return undefined
  const { parse } = await import('yaml')
  return (text) => parse(text) as unknown
}

/** The configuration as shown in the job summary: no secrets, no parsed documents, env as keys only. */
export function configView(config: Config): Record<string, unknown> {
  const view: Record<string, unknown> = { ...config, image: config.image?.ref }
  for (const key of ['privateKey', 'passphrase', 'taskDefinitionDocument', 'appspecDocument']) delete view[key]
  if (config.strategy === 'ssh-rolling') {
    view.env = config.env.map((p) => p.key)
    view.knownHosts = config.knownHosts.map(describeKnownHost)
    view.healthCheck = {
      ...config.healthCheck,
      ...(config.healthCheck.url ? { url: redactUrl(config.healthCheck.url) } : {})
    }
  } else {
    view.environmentVariables = config.environmentVariables.map((p) => p.key)
  }
  return view
}
