/**
 * Renders the job summary for a terminal: headings in bold, tables as aligned columns, no HTML. The summary's
 * heading, table and links are the HTML `core.summary` writes; its sections are Markdown.
 */

const BOLD = (s: string): string => `\u001b[1m${s}\u001b[22m`

function cells(row: string): string[] {
  return row
    .replace(/^\s*\|/, '')
    .replace(/\|\s*$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'))
}

function width(text: string): number {
  // Emoji used by the summary take two columns; the variation selector takes none.
  return [...text.replace(/\uFE0F/g, '')].reduce((n, ch) => n + (/\p{Extended_Pictographic}/u.test(ch) ? 2 : 1), 0)
}

function renderTable(rows: string[][]): string[] {
  const widths: number[] = []
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, width(c))))
  return rows.map((row, r) => {
    const line = row.map((c, i) => c + ' '.repeat((widths[i] ?? 0) - width(c))).join('  ')
    return r === 0 ? BOLD(line) : line
  })
}

function text(html: string): string {
  return html
    .replace(/<a href="([^"]*)">(.*?)<\/a>/g, '$2 <$1>')
    .replace(/<br>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
}

export function renderMarkdownForTerminal(markdown: string): string {
  const out: string[] = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const heading = /^<h\d>(.*)<\/h\d>$/.exec(line)
    if (heading) {
      out.push(BOLD(text(heading[1] ?? '')))
    } else if (line.startsWith('<table>')) {
      const rows = [...line.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) =>
        [...(row[1] ?? '').matchAll(/<t[hd]>(.*?)<\/t[hd]>/g)].map((c) => text(c[1] ?? ''))
      )
      out.push(...renderTable(rows).map((l) => `  ${l}`))
    } else if (/^\s*\|/.test(line)) {
      const rows: string[][] = []
      while (i < lines.length && /^\s*\|/.test(lines[i] ?? '')) {
        const row = cells(lines[i] ?? '')
        if (!row.every((c) => /^:?-+:?$/.test(c))) rows.push(row)
        i++
      }
      i--
      out.push(...renderTable(rows).map((l) => `  ${l}`))
    } else if (/^#{1,6} /.test(line)) {
      out.push(BOLD(line.replace(/^#+ /, '')))
    } else if (/^<details>/.test(line)) {
      // Collapsed in the job summary: a terminal shows only its title.
      const summary = /<summary>(.*?)<\/summary>/.exec(line)
      if (summary) out.push(`${BOLD(summary[1] ?? '')} (collapsed)`)
      while (i < lines.length && !/^<\/details>/.test(lines[i] ?? '')) i++
    } else {
      out.push(text(line).replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 <$2>'))
    }
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n')
}
