/**
 * The HTTP side: AWS JSON 1.1 (`POST /`, `x-amz-target`, SigV4 `authorization`), routing to the ECS and
 * CodeDeploy operations, scripted faults, the call log, and the control endpoint `/__control/<action>`.
 * // https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 */
import { randomUUID } from 'node:crypto'
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { codeDeployOperations } from './codedeploy.js'
import { type Control, type FixtureRef, ControlError, Runtime, createControl } from './control.js'
import { type Handler, ecsOperations } from './ecs.js'
import { AwsError } from './errors.js'
import { type CallRecord, type Timings, ACCOUNT_ID, DEFAULT_TIMINGS, Model } from './model.js'

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number
  host?: string
  region?: string
  /** Seeded at start and by `reset`: a fixture name (`standard`, `none`) or a fixture object. Default `standard`. */
  fixture?: FixtureRef
  timings?: Partial<Timings>
  /** Log each call to stderr. */
  verbose?: boolean
}

export interface Emulator {
  /** `http://<host>:<port>`, for `endpoint` or `AWS_ENDPOINT_URL`. */
  url: string
  port: number
  region: string
  control: Control
  /** The live model, for assertions that the control API does not cover. */
  model: Model
  close(): Promise<void>
}

interface ServiceSpec {
  name: 'ecs' | 'codedeploy'
  /** The error type for an unexpected failure inside the emulator. */
  internalError: string
  operations: Record<string, Handler>
}

const SERVICES: Record<string, ServiceSpec> = {
  AmazonEC2ContainerServiceV20141113: { name: 'ecs', internalError: 'ServerException', operations: ecsOperations },
  CodeDeploy_20141006: { name: 'codedeploy', internalError: 'InternalFailure', operations: codeDeployOperations }
}

const JSON_11 = 'application/x-amz-json-1.1'

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const region = options.region ?? 'us-east-1'
  const timings = { ...DEFAULT_TIMINGS, ...options.timings }
  const fixture = options.fixture ?? 'standard'
  const model = new Model(region)
  const runtime = new Runtime()
  const control = createControl(model, runtime, { fixture, timings })
  control.reset()

  const server = createServer((req, res) => {
    handle(req, res, model, runtime, control, options.verbose ?? false).catch((error: unknown) => {
      console.error('emulator: request failed:', error)
      if (!res.headersSent) sendJson(res, 500, { __type: 'InternalFailure', message: 'emulator error' })
    })
  })
  // Keep-alive sockets would hold close() open; the SDK reconnects as needed.
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    region,
    control,
    model,
    close: () =>
      new Promise<void>((resolve) => {
        model.clear()
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  model: Model,
  runtime: Runtime,
  control: Control,
  verbose: boolean
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/'
  const body = await readBody(req)
  if (path.startsWith('/__control/')) {
    handleControl(res, control, path.slice('/__control/'.length), body)
    return
  }
  if (req.method !== 'POST' || path !== '/') {
    sendError(res, new AwsError('UnknownOperationException', `No operation at ${req.method ?? ''} ${path}`, 404))
    return
  }

  // SigV4 must be present; its signature is not verified.
  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html
  const authorization = req.headers['authorization']
  if (authorization === undefined || authorization === '') {
    sendError(res, new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403))
    return
  }
  if (!/^AWS4-HMAC-SHA256 Credential=[^,]+, ?SignedHeaders=[^,]+, ?Signature=[0-9a-f]+$/.test(authorization)) {
    sendError(
      res,
      new AwsError(
        'IncompleteSignatureException',
        `Authorization header is not a valid AWS4-HMAC-SHA256 signature: '${authorization}'`
      )
    )
    return
  }
  if (req.headers['x-amz-date'] === undefined && req.headers['date'] === undefined) {
    sendError(
      res,
      new AwsError(
        'IncompleteSignatureException',
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
      )
    )
    return
  }

  const target = String(req.headers['x-amz-target'] ?? '')
  const [prefix = '', op = ''] = target.split('.')
  const spec = SERVICES[prefix]
  const handler = spec?.operations[op]
  if (!spec || !handler || !Object.hasOwn(spec.operations, op)) {
    sendError(
      res,
      new AwsError('UnknownOperationException', target === '' ? 'Missing x-amz-target' : `Unknown operation ${target}`)
    )
    return
  }
  const contentType = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
  if (contentType !== JSON_11) {
    sendError(
      res,
      new AwsError('SerializationException', `Unsupported content-type '${contentType ?? ''}'; expected ${JSON_11}`)
    )
    return
  }
  let params: Record<string, unknown>
  try {
    const parsed: unknown = body === '' ? {} : JSON.parse(body)
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object')
    params = parsed as Record<string, unknown>
  } catch {
    sendError(res, new AwsError('SerializationException', 'The request body is not a JSON object.'))
    return
  }

  const call: CallRecord = { service: spec.name, op, time: Date.now(), params }
  runtime.calls.push(call)
  const answer = (error: AwsError): void => {
    call.error = error.type
    if (verbose) console.error(`emulator: ${spec.name}.${op} -> ${error.type}: ${error.message}`)
    sendError(res, error)
  }

  const { delayMs, answer: fault } = runtime.takeFaults(op)
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
  // Throttling is HTTP 400 with `Rate exceeded`; the SDK retries it by name.
  // https://docs.aws.amazon.com/codedeploy/latest/APIReference/CommonErrors.html
  if (fault?.kind === 'throttle') return answer(new AwsError('ThrottlingException', 'Rate exceeded'))
  if (fault?.kind === 'accessDenied') return answer(accessDenied(model, spec.name, op))
  if (fault && fault.kind !== 'lostResponse') {
    return answer(new AwsError(fault.type ?? 'InternalFailure', fault.message ?? '', fault.status ?? 400))
  }

  if (fault?.kind === 'lostResponse') {
    // The call is carried out, its answer never arrives: the SDK sees a reset connection and retries the call.
    const outcome = await (async () => handler(model, params))().then(
      () => '200',
      (error: unknown) => (error instanceof AwsError ? error.type : 'crash')
    )
    call.error = 'ResponseLost'
    if (verbose) console.error(`emulator: ${spec.name}.${op} -> ${outcome}, response dropped`)
    req.socket.destroy()
    return
  }

  try {
    const result = await handler(model, params)
    if (verbose) console.error(`emulator: ${spec.name}.${op} -> 200`)
    sendJson(res, 200, result ?? {})
  } catch (error) {
    if (error instanceof AwsError) return answer(error)
    console.error(`emulator: ${spec.name}.${op} crashed:`, error)
    answer(new AwsError(spec.internalError, `Internal error: ${(error as Error).message}`, 500))
  }
}

function accessDenied(model: Model, service: string, op: string): AwsError {
  const action = `${service}:${op}`
  return new AwsError(
    'AccessDeniedException',
    `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/deploy/github-actions is not authorized to perform: ${action} on resource: arn:aws:${service}:${model.region}:${ACCOUNT_ID}:* because no identity-based policy allows the ${action} action`
  )
}

function handleControl(res: ServerResponse, control: Control, action: string, body: string): void {
  const fn = Object.hasOwn(control, action)
    ? (control[action as keyof Control] as (input?: unknown) => unknown)
    : undefined
  if (!fn) {
    sendJson(res, 404, { error: `unknown control action '${action}' (known: ${Object.keys(control).join(', ')})` })
    return
  }
  try {
    const input: unknown = body.trim() === '' ? undefined : JSON.parse(body)
    sendJson(res, 200, fn(input) ?? {})
  } catch (error) {
    const status = error instanceof ControlError || error instanceof SyntaxError ? 400 : 500
    sendJson(res, status, { error: (error as Error).message })
  }
}

function sendError(res: ServerResponse, error: AwsError): void {
  sendJson(res, error.status, { __type: error.type, message: error.message })
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  // Node adds a correct `Date` header: a skewed one would make the SDK retry errors as clock skew.
  res.writeHead(status, {
    'content-type': JSON_11,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID()
  })
  res.end(text)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
