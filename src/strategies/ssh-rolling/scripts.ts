/** The shell each phase runs on a host: `remote/lib.sh` followed by the phase's `remote/<name>.sh`. */
import { REMOTE_SCRIPTS, type RemoteScriptName } from './remote/scripts.gen.js'

export type PhaseScriptName = Exclude<RemoteScriptName, 'lib'>

/**
 * The full text of a phase script. The phase body is one `{ … } </dev/null` group: the shell parses all of it
 * before running any of it (bash reads a script on stdin line by line), and no command in it (a user's
 * pre-deploy command, docker) can read the rest of the script from stdin.
 */
export function phaseScript(name: PhaseScriptName): string {
  return `${REMOTE_SCRIPTS.lib}\n{\n${REMOTE_SCRIPTS[name]}\n} </dev/null\n`
}

export const SCRIPTS: Readonly<Record<PhaseScriptName, string>> = Object.fromEntries(
  (Object.keys(REMOTE_SCRIPTS) as RemoteScriptName[])
    .filter((name): name is PhaseScriptName => name !== 'lib')
    .map((name) => [name, phaseScript(name)])
) as Record<PhaseScriptName, string>
