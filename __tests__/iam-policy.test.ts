/**
 * The README's minimal IAM policy covers every AWS API call the code makes: each `new XxxCommand(` in src/ sent to
 * ECS or CodeDeploy is an `ecs:Xxx` / `codedeploy:Xxx` action in the policy, and nothing the code never needs is
 * listed without a reason in the README.
 */
import fs from 'node:fs'
import path from 'node:path'
import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import { startEmulator } from '../emulator/index.js'
import type { PolicyDocument } from '../emulator/policy.js'

const ROOT = process.cwd()

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : []
  })
}

/** `ecs:DescribeServices`, … for every command the code constructs, by the client package it comes from. */
function actionsCalled(): Set<string> {
  const actions = new Set<string>()
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    const text = fs.readFileSync(file, 'utf8')
    const prefixOf = new Map<string, string>()
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-(ecs|codedeploy)'/g)) {
      for (const name of (m[1] ?? '').split(',')) {
        const id = name.replace(/^\s*type\s+/, '').trim()
        if (id.endsWith('Command') || id.startsWith('paginate')) prefixOf.set(id, m[2] as string)
      }
    }
    for (const m of text.matchAll(/new ([A-Z][A-Za-z]+)Command\(/g)) {
      const prefix = prefixOf.get(`${m[1]}Command`)
      if (prefix) actions.add(`${prefix}:${m[1]}`)
    }
    // The SDK's paginators send the operation they are named after.
    for (const m of text.matchAll(/\bpaginate([A-Z][A-Za-z]+)\(/g)) {
      const prefix = prefixOf.get(`paginate${m[1]}`)
      if (prefix) actions.add(`${prefix}:${m[1]}`)
    }
  }
  return actions
}

function readmePolicy(): PolicyDocument {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('### Minimal IAM policy'))
  const json = /```json\n([\s\S]*?)```/.exec(section)?.[1] ?? '{}'
  return JSON.parse(json) as PolicyDocument
}

function policyActions(): Set<string> {
  return new Set(readmePolicy().Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])))
}

test('the README policy allows every ECS and CodeDeploy call the code makes', () => {
  const called = actionsCalled()
  expect(called.size).toBeGreaterThan(10)
  expect([...called].filter((a) => !policyActions().has(a))).toEqual([])
})

test('what the policy lists beyond the calls is explained: authorized on the action’s behalf, or role passing', () => {
  const called = actionsCalled()
  const extra = [...policyActions()].filter((a) => !called.has(a)).sort()
  expect(extra).toEqual([
    'codedeploy:GetDeploymentConfig',
    'codedeploy:RegisterApplicationRevision',
    'ecs:TagResource',
    'iam:PassRole'
  ])
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  for (const action of extra) expect(readme).toMatch(new RegExp(`\`${action}\`[^\\n]*\\n?[^\\n]*(not called|required)`))
})

test('the README policy lets RegisterTaskDefinition carry the live revision’s tags (tag-on-create), as ECS authorizes it', async () => {
  const emulator = await startEmulator({ fixture: 'none' })
  const ecs = new ECSClient({
    endpoint: emulator.url,
    region: emulator.region,
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' }
  })
  try {
    emulator.control.policy(readmePolicy())
    const out = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [{ name: 'web', image: 'ghcr.io/acme/web:2.0.0' }],
        tags: [{ key: 'managed-by', value: 'terraform' }]
      })
    )
    expect(out.tags).toEqual([{ key: 'managed-by', value: 'terraform' }])
  } finally {
    ecs.destroy()
    await emulator.close()
  }
})
