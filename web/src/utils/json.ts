/** JSON for people: indented, with '（无）' for nothing; a string holding JSON is parsed first. */
export function prettyJSON(v: unknown): string {
  if (v === null || v === undefined || v === '') return '（无）'
  if (typeof v === 'string') {
    try {
      return JSON.stringify(JSON.parse(v), null, 2)
    } catch {
      return v
    }
  }
  return JSON.stringify(v, null, 2)
}
