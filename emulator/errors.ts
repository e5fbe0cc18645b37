/** The error an operation throws to answer with an AWS JSON 1.1 error body. */

/**
 * An AWS error: HTTP status plus `{"__type": name, "message": message}`.
 * // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html
 */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400
  ) {
    super(message)
    this.name = type
  }
}

/** ECS: a required parameter is missing or malformed. */
export function invalidParameter(message: string): AwsError {
  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html (InvalidParameterException is per-op)
  return new AwsError('InvalidParameterException', message)
}

/** ECS: the request is wrong in a way ClientException covers (unknown resource, bad task definition). */
export function clientError(message: string): AwsError {
  return new AwsError('ClientException', message)
}

/** Reads a required string parameter; throws `make(message)` when it is missing or empty. */
export function requireString(
  params: Record<string, unknown>,
  key: string,
  make: (message: string) => AwsError
): string {
  const value = params[key]
  if (typeof value !== 'string' || value === '') throw make(`${key} must be specified`)
  return value
}

/** Reads an optional string parameter; throws when it is present with another type. */
export function optionalString(
  params: Record<string, unknown>,
  key: string,
  make: (message: string) => AwsError
): string | undefined {
  const value = params[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw make(`${key} must be a string`)
  return value
}
