/**
 * The GitHub Actions runner protocol: inputs from `INPUT_*`, workflow commands on stdout, and the
 * `GITHUB_OUTPUT` / `GITHUB_STATE` / `GITHUB_STEP_SUMMARY` files. Written here rather than loading
 * `@actions/core`, whose import (it pulls in an HTTP client for OIDC) costs ~100 ms of every cold start.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import { toPlainLogText } from './log-text.js'
import type { AnnotationProperties } from './types.js'

type Env = NodeJS.ProcessEnv

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/** Writes one workflow command (`::name k=v::message`) to stdout. */
export function issueCommand(name: string, message: string, properties: Record<string, string> = {}): void {
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',')
  process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${os.EOL}`)
}

/** Annotation properties as the runner names them (`line`, `col`), like `@actions/core`'s `toCommandProperties`. */
export function annotationProperties(properties: AnnotationProperties = {}): Record<string, string> {
  const names: Record<keyof AnnotationProperties, string> = {
    title: 'title',
    file: 'file',
    startLine: 'line',
    endLine: 'endLine',
    startColumn: 'col',
    endColumn: 'endColumn'
  }
  const result: Record<string, string> = {}
  for (const [key, value] of Object.entries(properties)) {
    if (value !== undefined) result[names[key as keyof AnnotationProperties]] = String(value)
  }
  return result
}

/** The raw value of an input, trimmed; '' when unset. Names are upper-cased with spaces as `_`, like the runner. */
export function getInput(name: string, env: Env = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

function appendKeyValue(file: string, name: string, value: string): void {
  const delimiter = `ghadelimiter_${randomUUID()}`
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error('Unexpected delimiter in value')
  fs.appendFileSync(file, `${name}<<${delimiter}${os.EOL}${value}${os.EOL}${delimiter}${os.EOL}`, 'utf8')
}

export function setOutput(name: string, value: string, env: Env = process.env): void {
  if (env.GITHUB_OUTPUT) appendKeyValue(env.GITHUB_OUTPUT, name, value)
  else issueCommand('set-output', value, { name })
}

export function saveState(name: string, value: string, env: Env = process.env): void {
  if (env.GITHUB_STATE) appendKeyValue(env.GITHUB_STATE, name, value)
  else issueCommand('save-state', value, { name })
}

export function getState(name: string, env: Env = process.env): string {
  return env[`STATE_${name}`] ?? ''
}

/**
 * Masks a secret in all later log lines. A multi-line value (a private key) is also masked line by line,
 * since the runner matches masks within single lines.
 */
export function setSecret(secret: string): void {
  if (!secret) return
  issueCommand('add-mask', secret)
  const lines = secret.split(/\r?\n/).map((l) => l.trim())
  if (lines.length > 1) for (const line of lines) if (line.length >= 4) issueCommand('add-mask', line)
}

export function appendSummary(markdown: string, env: Env = process.env): void {
  if (!env.GITHUB_STEP_SUMMARY) return
  fs.appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown}${os.EOL}`, 'utf8')
}

/** Writes plain log lines: text from hosts inside `message` can never become a workflow command. */
export function info(message: string): void {
  process.stdout.write(`${toPlainLogText(message)}${os.EOL}`)
}

export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  issueCommand('group', name)
  try {
    return await fn()
  } finally {
    issueCommand('endgroup', '')
  }
}
