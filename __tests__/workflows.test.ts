/** The shipped workflows and examples: schema-valid, least privilege, pinned, and in step with action.yml. */
import { validateWorkflow } from '@action-validator/core'
import fs from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { Inputs, Outputs } from '../src/constants.js'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
const files = [
  ...fs.readdirSync(path.join(root, '.github/workflows')).map((f) => `.github/workflows/${f}`),
  ...fs
    .readdirSync(path.join(root, 'examples'))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => `examples/${f}`)
]
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8')
type Workflow = {
  permissions?: unknown
  on: Record<string, { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> } | null>
  jobs: Record<
    string,
    {
      permissions?: Record<string, string>
      steps?: { uses?: string; with?: Record<string, unknown> }[]
      outputs?: Record<string, string>
    }
  >
}

// Our own action, referenced the way users do; everything else must be pinned to a commit.
const OWN = /^(\.\/|org\/deploy-action(\/\.github\/workflows\/deploy\.yml)?@v1$)/

describe.each(files)('%s', (file) => {
  const text = read(file)
  const doc = parse(text) as Workflow

  test('validates against the workflow schema', () => {
    const errors = validateWorkflow(text).errors
    expect(errors).toEqual([])
  })

  test('declares least-privilege top-level permissions', () => {
    expect(doc.permissions).toEqual({ contents: 'read' })
  })

  test('pins every third-party action to a full commit SHA with a version comment', () => {
    const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)].map(
      (m) => [m[1] as string, m[2] as string] as const
    )
    for (const [ref, rest] of uses) {
      if (OWN.test(ref)) continue
      expect(ref).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/)
      expect(rest).toMatch(/# v\d+\.\d+\.\d+/)
    }
  })

  test('passes only inputs the action defines', () => {
    const known = new Set<string>(Object.values(Inputs))
    for (const job of Object.values(doc.jobs))
      for (const step of job.steps ?? [])
        if (step.uses && /deploy-action@v1$|^\.\/$/.test(step.uses))
          for (const key of Object.keys(step.with ?? {}))
            expect(known.has(key) ? key : `unknown input ${key}`).toBe(key)
  })
})

test('a broken workflow is caught by the validator (the schema check can fail)', () => {
  expect(validateWorkflow('on: push\njobs:\n  a:\n    runs-on: x\n    stepz: []\n').errors.length).toBeGreaterThan(0)
})

describe('the reusable deploy workflow', () => {
  const doc = parse(read('.github/workflows/deploy.yml')) as Workflow
  const call = doc.on.workflow_call as { inputs: Record<string, unknown>; outputs: Record<string, unknown> }

  test('re-exports every output of the action', () => {
    expect(Object.keys(call.outputs).sort()).toEqual(Object.values(Outputs).sort())
  })

  test('asks for id-token: write only in the ECS job', () => {
    expect(doc.jobs.ecs?.permissions).toEqual({ contents: 'read', 'id-token': 'write' })
    expect(doc.jobs.ssh?.permissions).toEqual({ contents: 'read' })
  })

  test('binds each deploy job to the environment with one concurrency group per environment', () => {
    for (const job of [doc.jobs.ecs, doc.jobs.ssh] as unknown as Record<string, unknown>[]) {
      expect(job.environment).toBe('${{ inputs.environment }}')
      expect(job.concurrency).toEqual({ group: 'deploy-${{ inputs.environment }}', 'cancel-in-progress': false })
    }
  })

  test('passes rollback-to to the action in both jobs; image stays optional', () => {
    expect(call.inputs['rollback-to']).toMatchObject({ type: 'string', default: '' })
    expect(call.inputs.image).toMatchObject({ type: 'string', default: '' })
    for (const job of [doc.jobs.ecs, doc.jobs.ssh]) {
      const step = job?.steps?.find((s) => s.uses === 'org/deploy-action@v1')
      expect(step?.with?.['rollback-to']).toBe('${{ inputs.rollback-to }}')
    }
  })
})

describe('examples/rollback.yml', () => {
  const doc = parse(read('examples/rollback.yml')) as Workflow & {
    jobs: Record<string, { uses?: string; with?: Record<string, unknown> }>
  }

  test('asks only for the environment and an optional backup, and rolls back to previous without an image', () => {
    const dispatch = doc.on.workflow_dispatch as { inputs: Record<string, { required?: boolean }> }
    expect(Object.keys(dispatch.inputs).sort()).toEqual(['backup', 'environment'])
    expect(dispatch.inputs.backup?.required ?? false).toBe(false)
    const job = doc.jobs.rollback
    expect(job?.uses).toBe('org/deploy-action/.github/workflows/deploy.yml@v1')
    expect(job?.with?.['rollback-to']).toBe("${{ inputs.backup || 'previous' }}")
    expect(job?.with).not.toHaveProperty('image')
  })

  test('every input it passes is one the reusable workflow accepts', () => {
    const reusable = parse(read('.github/workflows/deploy.yml')) as Workflow
    const accepted = Object.keys((reusable.on.workflow_call as { inputs: Record<string, unknown> }).inputs)
    for (const key of Object.keys(doc.jobs.rollback?.with ?? {})) expect(accepted).toContain(key)
  })
})
