/** The end of a stream of text, in bounded memory: a phase's `@@RESULT` line is its last stdout line. */
export class TailBuffer {
  private text = ''
  private total = 0

  /** Keeps the last `maxChars` characters. */
  constructor(private readonly maxChars: number) {}

  append(chunk: string): void {
    this.text += chunk
    this.total += Buffer.byteLength(chunk)
    // Trimmed only once it holds twice the limit, so each character is copied a bounded number of times.
    if (this.text.length > 2 * this.maxChars) this.text = this.tail()
  }

  /** The last `maxChars` characters appended (one fewer rather than half a surrogate pair). */
  tail(): string {
    if (this.text.length <= this.maxChars) return this.text
    const tail = this.text.slice(-this.maxChars)
    return /^[\udc00-\udfff]/.test(tail) ? tail.slice(1) : tail
  }

  /** Every byte appended (UTF-8), kept or not. */
  get totalBytes(): number {
    return this.total
  }

  /** The bytes (UTF-8) appended but no longer kept. */
  get droppedBytes(): number {
    return this.total - Buffer.byteLength(this.tail())
  }
}
