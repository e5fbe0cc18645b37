/** The shell each phase runs on a host: `remote/lib.sh` followed by the phase's `remote/<name>.sh`. */
import { REMOTE_SCRIPTS, type RemoteScriptName } from './remote/scripts.gen.js'

export type PhaseScriptName = Exclude<RemoteScriptName, 'lib'>

/** The one phase that is not supervised: it is what stops the others. */
export const UNSUPERVISED: ReadonlySet<PhaseScriptName> = new Set(['stop'])

/**
 * Phases that only look (container state, logs): one that loses its exit status is stopped by its watcher when the
 * channel closes, and nothing waits to confirm it; every other phase is confirmed stopped before the host goes on.
 */
export const READ_ONLY: ReadonlySet<PhaseScriptName> = new Set(['health', 'diagnose', 'releases'])

/**
 * The full text of a phase script. The phase body is one `{ … } </dev/null` group: the shell parses all of it
 * before running any of it (bash reads a script on stdin line by line), and no command in it (a user's
 * pre-deploy command, docker) can read the rest of the script from stdin. The outer group first calls `supervise`
 * with the app dir (every phase's first argument), which watches stdin for the end of the SSH channel; it ends
 * with `exit`, so the shell never reads stdin again (the runner keeps it open while the phase runs).
 */
export function phaseScript(name: PhaseScriptName): string {
  const supervise = UNSUPERVISED.has(name) ? '' : 'supervise "$1"\n'
  return `${REMOTE_SCRIPTS.lib}\n{\n${supervise}{\n${REMOTE_SCRIPTS[name]}\n} </dev/null\nexit $?\n}\n`
}

export const SCRIPTS: Readonly<Record<PhaseScriptName, string>> = Object.fromEntries(
  (Object.keys(REMOTE_SCRIPTS) as RemoteScriptName[])
    .filter((name): name is PhaseScriptName => name !== 'lib')
    .map((name) => [name, phaseScript(name)])
) as Record<PhaseScriptName, string>
