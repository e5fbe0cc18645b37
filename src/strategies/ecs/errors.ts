/** Sorting AWS errors: transient ones a poll loop may outlast, permanent ones that end the run at once. */

// Names the SDK's standard retry treats as throttling or transient, plus server-side faults.
const TRANSIENT_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'PriorRequestNotComplete',
  'LimitExceededException',
  'ServerException',
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError'
])

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET'
])

interface AwsErrorShape {
  name?: string
  code?: string
  message?: string
  $metadata?: { httpStatusCode?: number }
}

function shape(error: unknown): AwsErrorShape {
  return typeof error === 'object' && error !== null ? (error as AwsErrorShape) : {}
}

/** The AWS error code (`AccessDeniedException`, `DeploymentLimitExceededException`, …) or the JS error name. */
export function errorName(error: unknown): string {
  return shape(error).name ?? 'Error'
}

/** `Name: message`, the way AWS reports it. */
export function awsMessage(error: unknown): string {
  if (!(error instanceof Error) && typeof error !== 'object') return String(error)
  const { name, message } = shape(error)
  if (!message) return name ?? String(error)
  return name && name !== 'Error' && !message.startsWith(name) ? `${name}: ${message}` : message
}

/** Throttling, a 5xx or 429, a timeout or a dropped connection: worth another try later. Everything else is final. */
export function isTransient(error: unknown): boolean {
  const { name, code, $metadata } = shape(error)
  const status = $metadata?.httpStatusCode
  if (status !== undefined && (status === 429 || status >= 500)) return true
  if (name && TRANSIENT_NAMES.has(name)) return true
  return Boolean(code && NETWORK_CODES.has(code)) || Boolean(name && NETWORK_CODES.has(name))
}

/** Wraps an AWS error with what we were doing, keeping the original as `cause`. */
export function wrapError(action: string, error: unknown): Error {
  return new Error(`${action}: ${awsMessage(error)}`, { cause: error })
}
