/**
 * The message of a thrown value: an Error's message, anything else as a string. With `withCause`, an Error's
 * `cause` message is appended when the message does not already carry it.
 */
export function errorMessage(error: unknown, options: { withCause?: boolean } = {}): string {
  if (!(error instanceof Error)) return String(error)
  const cause = options.withCause && error.cause instanceof Error ? error.cause.message : undefined
  return cause && !error.message.includes(cause) ? `${error.message}: ${cause}` : error.message
}
