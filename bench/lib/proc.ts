/**
 * Runs a process and measures it: wall time from spawn to exit (or to a "contact" event the caller observes, after
 * which the process is killed), and — through GNU time when the machine has it — peak RSS and CPU time.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'

/** GNU time (Debian package `time`): peak RSS (`%M`, KiB) and user/system CPU seconds of the child. */
export const TIME_BIN = '/usr/bin/time'
export const hasTimeBin = fs.existsSync(TIME_BIN)

export interface Contact {
  /** `performance.now()` when the contact was observed. */
  at: number
  /** What arrived (`TCP connect from 127.0.0.1`, `ECS DescribeServices`). */
  what: string
}

export interface Measured {
  /** Spawn to exit, or spawn to contact when a contact was awaited. */
  wallMs: number
  /** User + system CPU of the process until it ended (GNU time, 10 ms resolution). */
  cpuMs?: number
  /** Peak resident set size of the process (GNU time `%M`, or VmHWM at the contact without GNU time). */
  peakRssMiB?: number
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  contact?: Contact
}

export interface MeasureOptions {
  env: Record<string, string>
  cwd?: string
  /** Killed (SIGKILL) after this long; the measurement then fails. */
  timeoutMs?: number
  /**
   * Resolves when the process reached the remote side. The process is killed right then: the measurement ends at
   * the contact. Rejecting or never resolving before exit fails the measurement.
   */
  contact?: Promise<Contact>
  /** Called once the process started, with its pid (the measured process, not GNU time). */
  onPid?: (pid: number) => void
  /** Called for each stdout chunk. */
  onStdout?: (chunk: string) => void
}

function readChildren(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    return []
  }
}

/** Peak RSS so far of a live process, in MiB (VmHWM). */
export function vmHwmMiB(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : undefined
  } catch {
    return undefined
  }
}

/** Parses GNU time's `-f '%M %U %S'` line (after a possible "Command terminated by signal" line). */
export function parseTimeOutput(text: string): { peakRssMiB: number; cpuMs: number } | undefined {
  const line = text
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop()
  const m = line ? /^(\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(line) : null
  if (!m) return undefined
  return { peakRssMiB: Number(m[1]) / 1024, cpuMs: (Number(m[2]) + Number(m[3])) * 1000 }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs `command args` once and measures it (see `Measured`). Throws when the process cannot be measured. */
export async function measureProcess(
  command: string,
  args: readonly string[],
  options: MeasureOptions
): Promise<Measured> {
  const timeFile = hasTimeBin ? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-time-')), 'time') : undefined
  const argv = timeFile ? ['-f', '%M %U %S', '-o', timeFile, command, ...args] : [...args]
  const started = performance.now()
  const child = spawn(timeFile ? TIME_BIN : command, argv, {
    env: options.env,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    options.onStdout?.(chunk)
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<[number | null, NodeJS.Signals | null, number]>((resolve) =>
    child.on('close', (code, signal) => resolve([code, signal, performance.now()]))
  )

  // The measured process: GNU time's only child (found once it forked), or the child itself.
  let pid: number | undefined = timeFile ? undefined : child.pid
  const findPid = async (): Promise<number | undefined> => {
    for (let i = 0; pid === undefined && i < 2000 && child.exitCode === null; i++) {
      pid = readChildren(child.pid as number)[0]
      if (pid === undefined) await sleep(1)
    }
    return pid
  }
  void findPid().then((p) => p !== undefined && options.onPid?.(p))

  const timer = setTimeout(() => {
    if (pid !== undefined) process.kill(pid, 'SIGKILL')
    child.kill('SIGKILL')
  }, options.timeoutMs ?? 120_000)
  let contact: Contact | undefined
  let hwmAtContact: number | undefined
  try {
    if (options.contact) {
      const first = await Promise.race([
        options.contact.then((c) => ({ contact: c })),
        exited.then(() => ({ contact: undefined }))
      ])
      contact = first.contact
      if (contact) {
        const target = pid ?? (await findPid())
        if (target !== undefined) {
          hwmAtContact = vmHwmMiB(target)
          try {
            process.kill(target, 'SIGKILL')
          } catch {
            // already gone
          }
        }
      }
    }
    const [exitCode, signal, endedAt] = await exited
    clearTimeout(timer)
    const timing = timeFile ? parseTimeOutput(fs.readFileSync(timeFile, 'utf8')) : undefined
    if (options.contact && !contact) {
      throw new Error(
        `the process ended (exit ${String(exitCode)}) before any remote contact:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`
      )
    }
    const result: Measured = {
      wallMs: (contact ? contact.at : endedAt) - started,
      exitCode,
      signal,
      stdout,
      stderr
    }
    if (contact) result.contact = contact
    const rss = timing?.peakRssMiB ?? hwmAtContact
    if (rss !== undefined) result.peakRssMiB = rss
    if (timing) result.cpuMs = timing.cpuMs
    return result
  } finally {
    clearTimeout(timer)
    if (timeFile) fs.rmSync(path.dirname(timeFile), { recursive: true, force: true })
  }
}
