import {
  DESCRIBE_ONLY_FIELDS,
  cleanTaskDefinition,
  containerHasPort,
  diffTaskDefinitions,
  renderTaskDefinition,
  selectContainer,
  stripEmptyValues,
  taskDefinitionLabel
} from '../../../src/strategies/ecs/task-definition.js'
import { fixture } from './helpers.js'

/** DescribeTaskDefinition output, merged the way pre-flight merges it: the task definition plus its tags. */
const describedOutput = fixture<{ taskDefinition: Record<string, unknown>; tags: unknown[] }>(
  'task-definition-described.json'
)
const described = { ...describedOutput.taskDefinition, tags: describedOutput.tags }
const file = fixture('task-definition-file.json')

describe('cleanTaskDefinition', () => {
  test('strips every describe-only field of a described task definition and keeps its tags', () => {
    const doc = cleanTaskDefinition(described)
    for (const field of DESCRIBE_ONLY_FIELDS) expect(doc).not.toHaveProperty(field)
    expect(doc.family).toBe('web')
    expect(doc.tags).toEqual([{ key: 'team', value: 'payments' }])
    expect(doc.taskRoleArn).toBe('arn:aws:iam::123456789012:role/web-task')
  })

  test('a document wrapped like the CLI prints it is not unwrapped (the input refuses such a file)', () => {
    expect(cleanTaskDefinition(describedOutput)).not.toHaveProperty('family')
  })

  test('strips empty values at every depth, keeps false and 0', () => {
    const doc = cleanTaskDefinition(described)
    expect(doc).not.toHaveProperty('volumes')
    expect(doc).not.toHaveProperty('placementConstraints')
    const [web, sidecar] = doc.containerDefinitions as Record<string, unknown>[]
    expect(web).not.toHaveProperty('mountPoints')
    expect(web).not.toHaveProperty('systemControls')
    expect(web?.logConfiguration).not.toHaveProperty('secretOptions')
    expect(web?.cpu).toBe(0)
    expect(sidecar?.essential).toBe(false)
    expect(sidecar).not.toHaveProperty('environment')
  })

  test('a user file: describe-only fields, empty strings, nulls and empty objects go; unknown fields stay', () => {
    const doc = cleanTaskDefinition(file)
    expect(doc).not.toHaveProperty('taskDefinitionArn')
    expect(doc).not.toHaveProperty('revision')
    expect(doc).not.toHaveProperty('status')
    expect(doc).not.toHaveProperty('executionRoleArn')
    expect(doc).not.toHaveProperty('ephemeralStorage')
    expect(doc).not.toHaveProperty('proxyConfiguration')
    expect(doc.someFutureField).toEqual({ enabled: true })
    const [web] = doc.containerDefinitions as Record<string, unknown>[]
    expect(web).not.toHaveProperty('command')
    expect(web).not.toHaveProperty('dockerLabels')
    expect(web?.healthCheck).toEqual({
      command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'],
      interval: 10,
      retries: 0
    })
  })

  test('does not modify its input', () => {
    const input = structuredClone(file)
    cleanTaskDefinition(input)
    expect(input).toEqual(file)
  })

  test('keeps the empty strings ECS passes on: env values, argument items, labels and log driver options', () => {
    const container = {
      name: 'web',
      command: ['sh', '-c', ''],
      entryPoint: [''],
      dockerLabels: { empty: '', team: 'web' },
      logConfiguration: { logDriver: 'splunk', options: { tag: '', url: 'https://s' }, secretOptions: [] },
      environment: [
        { name: 'FEATURE_X', value: '' },
        { name: '', value: '' },
        { name: 'GONE', value: null }
      ],
      ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 2048 }],
      workingDirectory: ''
    }
    expect(stripEmptyValues({ containerDefinitions: [container] })).toEqual({
      containerDefinitions: [
        {
          name: 'web',
          command: ['sh', '-c', ''],
          dockerLabels: { empty: '', team: 'web' },
          logConfiguration: { logDriver: 'splunk', options: { tag: '', url: 'https://s' } },
          environment: [{ name: 'FEATURE_X', value: '' }, { name: 'GONE' }],
          ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 2048 }]
        }
      ]
    })
  })

  test('stripEmptyValues drops arrays whose items are all empty and empty items of arrays', () => {
    expect(stripEmptyValues({ a: [null, '', {}], b: ['x', '', null], c: { d: { e: [] } }, f: false })).toEqual({
      b: ['x'],
      f: false
    })
  })
})

describe('renderTaskDefinition', () => {
  const doc = cleanTaskDefinition(described)

  test('puts the image into the named container only', () => {
    const { taskDefinition, containerName } = renderTaskDefinition(doc, {
      image: 'registry.example.com/web:2.0.0',
      containerName: 'web',
      environment: []
    })
    expect(containerName).toBe('web')
    const [web, sidecar] = taskDefinition.containerDefinitions as { image: string }[]
    expect(web?.image).toBe('registry.example.com/web:2.0.0')
    expect(sidecar?.image).toBe('public.ecr.aws/envoy:1.30')
    expect((doc.containerDefinitions as { image: string }[])[0]?.image).toBe('registry.example.com/web:1.0.0')
  })

  test('upserts environment variables: same name replaced in place, new ones appended in order', () => {
    const { taskDefinition } = renderTaskDefinition(doc, {
      image: 'x:1',
      containerName: 'web',
      environment: [
        { key: 'NEW_B', value: '2' },
        { key: 'LOG_LEVEL', value: 'debug' },
        { key: 'NEW_A', value: '1' }
      ]
    })
    const [web] = taskDefinition.containerDefinitions as { environment: unknown[] }[]
    expect(web?.environment).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'FEATURE_X', value: 'off' },
      { name: 'NEW_B', value: '2' },
      { name: 'NEW_A', value: '1' }
    ])
  })

  test('a container without environment gets one', () => {
    const { taskDefinition } = renderTaskDefinition(doc, {
      image: 'x:1',
      containerName: 'sidecar',
      environment: [{ key: 'A', value: '1' }]
    })
    const [, sidecar] = taskDefinition.containerDefinitions as { environment?: unknown[] }[]
    expect(sidecar?.environment).toEqual([{ name: 'A', value: '1' }])
  })

  test('container-name is required with more than one container, and the error lists them', () => {
    expect(() => selectContainer(doc, undefined)).toThrow(
      "Missing 'container-name': required because the task definition has 2 containers ('web', 'sidecar')"
    )
  })

  test('a container name that does not exist names the input and lists the containers', () => {
    expect(() => renderTaskDefinition(doc, { image: 'x:1', containerName: 'api', environment: [] })).toThrow(
      "Invalid 'container-name': the task definition has no container 'api'; its containers: 'web', 'sidecar'"
    )
  })

  test('with a single container the name may be left out', () => {
    const single = cleanTaskDefinition(file)
    expect(renderTaskDefinition(single, { image: 'x:1', environment: [] }).containerName).toBe('web')
  })
})

describe('helpers', () => {
  test('containerHasPort checks container name and containerPort', () => {
    const doc = cleanTaskDefinition(described)
    expect(containerHasPort(doc, 'web', 80)).toBe(true)
    expect(containerHasPort(doc, 'web', 8080)).toBe(false)
    expect(containerHasPort(doc, 'api', 80)).toBe(false)
  })

  test('taskDefinitionLabel is family:revision', () => {
    expect(taskDefinitionLabel('arn:aws:ecs:eu-west-1:1:task-definition/web:42')).toBe('web:42')
    expect(taskDefinitionLabel(undefined)).toBeUndefined()
  })
})

describe('diffTaskDefinitions', () => {
  const live = cleanTaskDefinition(described)

  test('shows the image, environment names (not values) and other changed keys', () => {
    const { taskDefinition } = renderTaskDefinition(live, {
      image: 'registry.example.com/web:2.0.0',
      containerName: 'web',
      environment: [
        { key: 'LOG_LEVEL', value: 's3cr3t-ish' },
        { key: 'NEW', value: '1' }
      ]
    })
    taskDefinition.cpu = '512'
    const lines = diffTaskDefinitions(live, taskDefinition)
    expect(lines).toEqual([
      'container `web` image: "registry.example.com/web:1.0.0" → "registry.example.com/web:2.0.0"',
      'container `web` environment: added NEW; changed LOG_LEVEL',
      'cpu: "256" → "512"'
    ])
    expect(lines.join('\n')).not.toContain('s3cr3t-ish')
  })

  test('containers added and removed, removed env vars, changed container keys', () => {
    const next = cleanTaskDefinition(file)
    const lines = diffTaskDefinitions(live, next)
    expect(lines).toContain('container `sidecar` removed')
    expect(lines).toContain('container `web` environment: changed LOG_LEVEL; removed FEATURE_X')
    expect(lines.some((l) => l.startsWith('container `web` healthCheck: (unset) →'))).toBe(true)
    expect(lines).toContain('someFutureField: (unset) → {"enabled":true}')
  })

  test('no changes → no lines', () => {
    expect(diffTaskDefinitions(live, structuredClone(live))).toEqual([])
  })
})
