// 公民身份号码 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit sequence
// (odd for men, even for women), and a check character over the first 17 digits (ISO 7064
// MOD 11-2). The browser checks what it can; the server checks again.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

/** Province-level codes (the first two digits), including 71 台湾 and 81/82/83 港澳台居住证. */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
])

/** Removes spaces, turns full-width digits and x into ASCII, and upper-cases the X. */
export function normalizeIdNumber(s: string | null | undefined): string {
  return (s ?? '')
    .replace(/[\s\u3000]+/g, '')
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[xＸｘ]/g, 'X')
}

/** The check character for the first 17 digits. */
export function checkChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('需要17位数字')
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!
  return CHECK[sum % 11]!
}

/** Whether a YYYY-MM-DD (or YYYYMMDD) string is a real calendar date. */
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(s)
  if (!m) return false
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  if (mo < 1 || mo > 12 || d < 1) return false
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate()
  return d <= days
}

const pad = (n: number) => String(n).padStart(2, '0')
const localISO = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`

/** A masked value as the server sends it (4307**********123X). */
export function isMasked(s: string | null | undefined): boolean {
  return !!s && s.includes('*')
}

/** What is wrong with a 公民身份号码, or '' when it is valid. */
export function idNumberError(raw: string | null | undefined, now: Date = new Date()): string {
  const s = normalizeIdNumber(raw)
  if (!s) return '请填写公民身份号码'
  if (isMasked(s)) return '请填写完整的公民身份号码'
  if (/^\d{15}$/.test(s)) return '这是15位的旧身份证号码，请填写18位公民身份号码'
  if (s.length !== 18) return `公民身份号码应为18位，当前为${s.length}位`
  if (!/^\d{17}[\dX]$/.test(s)) return '公民身份号码前17位应为数字，最后一位为数字或X'
  if (!PROVINCES.has(s.slice(0, 2))) return '公民身份号码前两位不是有效的省级行政区划代码'
  const birth = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`
  if (!isRealDate(birth)) return '公民身份号码第7至14位不是有效的出生日期'
  if (birth < '1900-01-01' || birth > localISO(now)) return '公民身份号码中的出生日期不合理'
  if (checkChar(s.slice(0, 17)) !== s[17]) return '公民身份号码校验位不正确，请逐位核对'
  return ''
}

export function isValidIdNumber(s: string | null | undefined, now?: Date): boolean {
  return idNumberError(s, now) === ''
}

export interface IdInfo {
  /** YYYY-MM-DD */
  birthDate: string
  /** GB/T 2261.1: '1' 男, '2' 女 */
  gender: '1' | '2'
  /** the 6-digit address code */
  region: string
}

/** The birth date, gender and address code in a valid 公民身份号码; null when it is not valid. */
export function parseIdNumber(raw: string | null | undefined, now?: Date): IdInfo | null {
  if (!isValidIdNumber(raw, now)) return null
  const s = normalizeIdNumber(raw)
  return {
    birthDate: `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`,
    gender: Number(s[16]) % 2 === 1 ? '1' : '2',
    region: s.slice(0, 6),
  }
}

/** Full years of age on a date (both YYYY-MM-DD); null when either is missing. */
export function ageOn(birth: string | null | undefined, on: string | null | undefined): number | null {
  if (!birth || !on) return null
  const b = /^(\d{4})-(\d{2})-(\d{2})/.exec(birth)
  const o = /^(\d{4})-(\d{2})-(\d{2})/.exec(on)
  if (!b || !o) return null
  let age = Number(o[1]) - Number(b[1])
  if (o[2]! + o[3]! < b[2]! + b[3]!) age--
  return age
}
