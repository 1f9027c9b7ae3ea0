// The checks of the member form that the browser can make as the user types: each returns the
// message to show, or '' when the value is fine. They follow internal/member/validate.go, so
// the browser refuses nothing the server accepts; the server checks everything again and its
// field errors land on the same fields.

import { ageOn, idNumberError, isRealDate, normalizeIdNumber, parseIdNumber } from './idcard'

const pad = (n: number) => String(n).padStart(2, '0')
const localISO = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`

/** The minimum age for joining the Party (党章第一条：年满十八岁). */
export const MIN_JOIN_AGE = 18

/** Removes spaces and brackets, turns full-width digits and dashes into ASCII, drops +86. */
export function normalizePhone(s: string | null | undefined): string {
  let t = (s ?? '')
    .replace(/[\s\u3000]+/g, '')
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[－—–]/g, '-')
    .replace(/[（）()]/g, '')
    .replace(/^\+86/, '')
  const digits = t.replace(/-/g, '')
  if (/^1[3-9]\d{9}$/.test(digits)) t = digits
  else if (/^861[3-9]\d{9}$/.test(digits)) t = digits.slice(2)
  return t
}

/**
 * A mobile number (11 digits from 13–19), or a landline with its area code; an extension may
 * follow after -, 转, #, x or ext (0736-7221234-806). The same numbers the server accepts.
 */
export function phoneError(raw: string | null | undefined): string {
  const s = normalizePhone(raw)
  if (!s) return ''
  if (/^1[3-9]\d{9}$/.test(s)) return ''
  if (/^0\d{2,3}-?\d{7,8}(?:(?:-|转|#|,|ext\.?|EXT\.?|x|X)\d{1,6})?$/.test(s)) return ''
  if (/^1\d*$/.test(s) && s.length !== 11) return `手机号码应为11位，当前为${s.length}位`
  return '请填写11位手机号码，或带区号的固定电话（如 0736-7221234，分机写作 0736-7221234-806）'
}

function dateError(d: string | null | undefined, label: string, now: Date): string {
  if (!d) return ''
  if (!isRealDate(d)) return `${label}不是有效的日期`
  if (d > localISO(now)) return `${label}不能晚于今天`
  return ''
}

/** The birth date the form stands for: from a valid ID number, else the one typed. */
export function effectiveBirthDate(idNumber: string | null | undefined, birthDate: string | null | undefined): string | null {
  return parseIdNumber(idNumber)?.birthDate ?? (birthDate || null)
}

export function birthDateError(birth: string | null | undefined, idNumber: string | null | undefined, now: Date = new Date()): string {
  const e = dateError(birth, '出生日期', now)
  if (e) return e
  const info = parseIdNumber(idNumber, now)
  if (birth && info && info.birthDate !== birth) return `出生日期与公民身份号码不一致（号码中为 ${info.birthDate}）`
  return ''
}

export function genderError(gender: string | null | undefined, idNumber: string | null | undefined): string {
  if (!gender) return '请选择性别'
  const info = parseIdNumber(idNumber)
  if (info && info.gender !== gender) return `性别与公民身份号码不一致（号码中为${info.gender === '1' ? '男' : '女'}）`
  return ''
}

/** 入党日期: required, not in the future, and the member at least 18 on that day. */
export function joinedOnError(joined: string | null | undefined, birth: string | null | undefined, now: Date = new Date()): string {
  if (!joined) return '请选择入党日期'
  const e = dateError(joined, '入党日期', now)
  if (e) return e
  const age = ageOn(birth, joined)
  if (age !== null && age < MIN_JOIN_AGE) {
    return age < 0 ? '入党日期早于出生日期' : `入党时应年满${MIN_JOIN_AGE}周岁，按出生日期计算入党时为${age}周岁`
  }
  return ''
}

/** The 九大、十大 constitutions had no probation: members who joined then were full members at once. */
export const NO_PROBATION_FROM = '1969-04-01'
export const NO_PROBATION_TO = '1977-08-11'

const noProbation = (joined: string) => joined >= NO_PROBATION_FROM && joined <= NO_PROBATION_TO

/** A YYYY-MM-DD date n years later; 29 February becomes 1 March, as the server counts. */
export function addYears(d: string, n: number): string {
  const y = Number(d.slice(0, 4)) + n
  const md = d.slice(5)
  if (md === '02-29' && !isRealDate(`${y}-02-29`)) return `${y}-03-01`
  return `${y}-${md}`
}

/**
 * 转正日期: empty for a 预备党员; otherwise not before 入党日期 and a year of probation after it
 * (except for those who joined in 1969–1977, when 转正 may equal 入党), and not in the future.
 */
export function fullOnError(full: string | null | undefined, joined: string | null | undefined, now: Date = new Date()): string {
  if (!full) return ''
  const e = dateError(full, '转正日期', now)
  if (e) return e
  if (!joined) return ''
  if (full < joined) return '转正日期不能早于入党日期'
  if (noProbation(joined)) return ''
  if (full === joined) return '转正日期与入党日期相同：预备期为一年，只有1969年4月1日至1977年8月11日间入党的才没有预备期'
  const earliest = addYears(joined, 1)
  if (full < earliest) return `距入党不满一年就转正：预备期为一年，转正日期应不早于 ${earliest}`
  return ''
}

/** What to look at about 转正 that does not stop saving (the server warns the same way). */
export function fullOnWarning(full: string | null | undefined, joined: string | null | undefined, now: Date = new Date()): string {
  if (!joined || !isRealDate(joined)) return ''
  if (!full) {
    if (noProbation(joined)) return '1969年4月至1977年8月间入党的没有预备期，应填写转正日期（同入党日期）'
    if (addYears(joined, 2) < localISO(now)) return '入党已超过两年仍为预备党员，请核对转正日期'
    return ''
  }
  if (!noProbation(joined) && full > addYears(joined, 2)) return '入党至转正超过两年：延长预备期不能超过一年，请核对日期'
  return ''
}

/** 失去联系日期: not in the future, not before 入党日期. */
export function lostOnError(lost: string | null | undefined, joined: string | null | undefined, now: Date = new Date()): string {
  if (!lost) return ''
  const e = dateError(lost, '失去联系日期', now)
  if (e) return e
  if (joined && lost < joined) return '失去联系日期不能早于入党日期'
  return ''
}

/** 参加工作日期: not in the future, not before the age of 14. */
export function workStartedError(work: string | null | undefined, birth: string | null | undefined, now: Date = new Date()): string {
  if (!work) return ''
  const e = dateError(work, '参加工作日期', now)
  if (e) return e
  const age = ageOn(birth, work)
  if (age !== null && age < 14) return '参加工作日期早于14周岁，请核对'
  return ''
}

export function nameError(name: string | null | undefined): string {
  const n = [...(name ?? '').trim()].length
  if (n === 0) return '请填写姓名'
  if (n < 2 || n > 30) return '姓名应为2–30个字'
  return ''
}

export interface MemberCheckValues {
  name: string
  id_number: string
  gender: string
  birth_date: string | null
  ethnicity: string
  education: string
  joined_on: string | null
  full_on: string | null
  phone: string
  lost_contact: boolean
  lost_on: string | null
  lost_situation: string
  mobile: boolean
  mobile_to: string
  work_started_on: string | null
}

export interface CheckOptions {
  now?: Date
  /** false on edit when the ID number field was left empty (keep the stored one) */
  idRequired?: boolean
}

/** All the browser-side checks of the member form, as field → message (empty when all is well). */
export function checkMember(v: MemberCheckValues, opts: CheckOptions = {}): Record<string, string> {
  const now = opts.now ?? new Date()
  const out: Record<string, string> = {}
  const put = (field: string, msg: string) => {
    if (msg) out[field] = msg
  }
  put('name', nameError(v.name))
  const id = normalizeIdNumber(v.id_number)
  if (id || opts.idRequired !== false) put('id_number', idNumberError(id, now))
  put('gender', genderError(v.gender, id))
  put('birth_date', birthDateError(v.birth_date, id, now))
  put('ethnicity', v.ethnicity ? '' : '请选择民族')
  put('education', v.education ? '' : '请选择学历')
  const birth = effectiveBirthDate(id, v.birth_date)
  put('joined_on', joinedOnError(v.joined_on, birth, now))
  put('full_on', fullOnError(v.full_on, v.joined_on, now))
  put('phone', phoneError(v.phone))
  if (v.lost_contact) put('lost_on', lostOnError(v.lost_on, v.joined_on, now))
  put('work_started_on', workStartedError(v.work_started_on, birth, now))
  return out
}
