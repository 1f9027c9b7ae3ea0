// Pure helpers of the 组织生活 pages: periods (as the server reads them), the quorum check the
// meeting form shows while it is filled in, the wording of compliance cells, and the month
// calendar. The server checks everything again; these only let the form say it first.

import type { AttendanceStatus, MeetingType, Quorum, ReqStatus, Requirement, RosterMember } from '@/api/life'
import type { TagType } from '@/utils/format'

export type PeriodKind = 'month' | 'quarter' | 'half' | 'year'

export interface Period {
  kind: PeriodKind
  year: number
  /** month 1–12, quarter 1–4, half 1–2; 1 for a year */
  n: number
}

const MONTHS: Record<PeriodKind, number> = { month: 1, quarter: 3, half: 6, year: 12 }
const QUARTERS = ['', '第一季度', '第二季度', '第三季度', '第四季度']

/** Reads 2026, 2026H1, 2026Q3 or 2026-10 (as GET /compliance?period= does); null when invalid. */
export function parsePeriod(s: string): Period | null {
  const m = /^(\d{4})(?:-(\d{1,2})|[Qq]([1-4])|[Hh]([12]))?$/.exec(s.trim())
  if (!m) return null
  const year = Number(m[1])
  if (year < 1921 || year > 2200) return null
  if (m[2] !== undefined) {
    const n = Number(m[2])
    return n >= 1 && n <= 12 ? { kind: 'month', year, n } : null
  }
  if (m[3] !== undefined) return { kind: 'quarter', year, n: Number(m[3]) }
  if (m[4] !== undefined) return { kind: 'half', year, n: Number(m[4]) }
  return { kind: 'year', year, n: 1 }
}

const pad = (n: number) => String(n).padStart(2, '0')

export function periodCode(p: Period): string {
  switch (p.kind) {
    case 'month':
      return `${p.year}-${pad(p.n)}`
    case 'quarter':
      return `${p.year}Q${p.n}`
    case 'half':
      return `${p.year}H${p.n}`
  }
  return String(p.year)
}

export function periodLabel(p: Period): string {
  switch (p.kind) {
    case 'month':
      return `${p.year}年${p.n}月`
    case 'quarter':
      return `${p.year}年${QUARTERS[p.n]}`
    case 'half':
      return `${p.year}年${p.n === 1 ? '上' : '下'}半年`
  }
  return `${p.year}年`
}

/** First and last day (YYYY-MM-DD) of a period. */
export function periodRange(p: Period): { from: string; to: string } {
  const firstMonth = (p.n - 1) * MONTHS[p.kind] + 1
  const lastMonth = firstMonth + MONTHS[p.kind] - 1
  const lastDay = new Date(Date.UTC(p.year, lastMonth, 0)).getUTCDate()
  return { from: `${p.year}-${pad(firstMonth)}-01`, to: `${p.year}-${pad(lastMonth)}-${pad(lastDay)}` }
}

/** The period of a kind that contains a day (a Date, or YYYY-MM-DD). */
export function periodOf(kind: PeriodKind, day: Date | string = new Date()): Period {
  let year: number
  let month: number
  if (typeof day === 'string') {
    year = Number(day.slice(0, 4))
    month = Number(day.slice(5, 7))
  } else {
    year = day.getFullYear()
    month = day.getMonth() + 1
  }
  return { kind, year, n: Math.floor((month - 1) / MONTHS[kind]) + 1 }
}

/** The period delta steps before (negative) or after a period of the same kind. */
export function shiftPeriod(p: Period, delta: number): Period {
  const per = 12 / MONTHS[p.kind]
  const index = p.year * per + (p.n - 1) + delta
  return { kind: p.kind, year: Math.floor(index / per), n: (((index % per) + per) % per) + 1 }
}

/** Whether the period has ended by today (YYYY-MM-DD). */
export function periodClosed(p: Period, today: string): boolean {
  return periodRange(p).to < today
}

// ---- Quorum (rules life.branch_congress.quorum, life.branch_committee.quorum, life.election.quorum) ----

/** The smallest attendance that meets a quorum: more than half, or more than four fifths. */
export function quorumNeeded(q: Quorum, entitled: number): number {
  if (q === 'voting_majority' || q === 'committee_majority') return Math.floor(entitled / 2) + 1
  if (q === 'election_four_fifths') return Math.floor((entitled * 4) / 5) + 1
  return 0
}

export function quorumMet(q: Quorum, entitled: number, present: number): boolean {
  if (!q) return true
  return entitled > 0 && present >= quorumNeeded(q, entitled)
}

export interface QuorumView {
  applies: boolean
  ok: boolean
  entitled: number
  present: number
  needed: number
  text: string
}

/**
 * The quorum of a meeting as the form fills in: who counts is decided by the roster (正式党员
 * vote, 预备党员 do not; for 支委会 the 班子 on the day), who is present by the marks.
 */
export function quorumView(type: Pick<MeetingType, 'quorum'> | undefined, members: RosterMember[], marks: Record<number, string>): QuorumView {
  const q = type?.quorum ?? ''
  if (!q) return { applies: false, ok: true, entitled: 0, present: 0, needed: 0, text: '' }
  const counts = q === 'committee_majority' ? (m: RosterMember) => m.committee : (m: RosterMember) => m.voting
  const pool = members.filter(counts)
  const entitled = pool.length
  const present = pool.filter((m) => marks[m.id] === 'present').length
  const needed = quorumNeeded(q, entitled)
  const who = q === 'committee_majority' ? '委员' : q === 'election_four_fifths' ? '有选举权的党员' : '有表决权的党员'
  const ok = quorumMet(q, entitled, present)
  const text =
    entitled === 0
      ? q === 'committee_majority'
        ? '会议当日未设支部委员会（班子不足3人或未录入班子）'
        : '名册中没有有表决权的正式党员'
      : `应到会${who} ${entitled} 人，到会 ${present} 人，至少需 ${needed} 人${ok ? '，符合要求' : ''}`
  return { applies: true, ok, entitled, present, needed, text }
}

export interface MarkCounts {
  listed: number
  present: number
  leave: number
  absent: number
  makeup: number
}

export function countMarks(marks: Record<number, string>): MarkCounts {
  const c: MarkCounts = { listed: 0, present: 0, leave: 0, absent: 0, makeup: 0 }
  for (const v of Object.values(marks)) {
    if (v === 'present' || v === 'leave' || v === 'absent' || v === 'makeup') {
      c.listed++
      c[v]++
    }
  }
  return c
}

/** The vote checks of the form: counts only, against the present voters. '' when fine. */
export function voteError(v: { yes: number; no: number; abstain: number }, presentEntitled: number): string {
  if (v.yes < 0 || v.no < 0 || v.abstain < 0) return '票数不能为负数'
  const sum = v.yes + v.no + v.abstain
  if (sum > presentEntitled) return `赞成、反对、弃权合计 ${sum} 票，超过到会有表决权的 ${presentEntitled} 人`
  return ''
}

// ---- Compliance cells ----

const CELLS: Record<ReqStatus, { text: string; tag: TagType }> = {
  held: { text: '✓', tag: 'success' },
  pending: { text: '未到期', tag: 'info' },
  missed: { text: '未召开', tag: 'warning' },
  na: { text: '—', tag: 'info' },
}

/** What a compliance table cell shows for a requirement. 未召开 is shown only once a period has ended. */
export function statusCell(status: ReqStatus): { text: string; tag: TagType } {
  return CELLS[status] ?? { text: status, tag: 'info' }
}

/** The tooltip of a compliance cell: what the branch reads, then the rule and its source. */
export function statusTooltip(r: Pick<Requirement, 'text' | 'frequency_name' | 'type_name' | 'source' | 'frequency_from'>): string {
  const lines = [r.text, `要求：${r.type_name}${r.frequency_name}至少1次`, `依据：${r.source}`]
  if (r.frequency_from && !r.frequency_from.startsWith('系统默认')) lines.push(`频次由“${r.frequency_from}”调整`)
  return lines.join('\n')
}

/** The line a branch reads for a period without its meeting: never red before it is late. */
export function dueText(status: ReqStatus, to: string, label: string): string {
  switch (status) {
    case 'pending':
      return `本期尚未召开，截止 ${to}`
    case 'missed':
      return `${label}未召开`
    case 'held':
      return '已召开'
  }
  return '本期不作要求'
}

// ---- The month calendar of the meetings page ----

export interface CalendarDay {
  date: string
  day: number
  inMonth: boolean
}

/** The weeks (Monday first) that show a month, as YYYY-MM-DD days. */
export function monthGrid(year: number, month: number): CalendarDay[][] {
  const first = new Date(Date.UTC(year, month - 1, 1))
  const offset = (first.getUTCDay() + 6) % 7
  const start = Date.UTC(year, month - 1, 1 - offset)
  const weeks: CalendarDay[][] = []
  for (let w = 0; w < 6; w++) {
    const week: CalendarDay[] = []
    for (let d = 0; d < 7; d++) {
      const t = new Date(start + (w * 7 + d) * 86_400_000)
      week.push({
        date: `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`,
        day: t.getUTCDate(),
        inMonth: t.getUTCMonth() === month - 1,
      })
    }
    if (w >= 4 && !week.some((d) => d.inMonth)) break
    weeks.push(week)
  }
  return weeks
}

/** Which meeting types an organisation of a type holds. */
export function typesFor(types: MeetingType[], orgType: string | undefined): MeetingType[] {
  if (!orgType) return []
  return types.filter((t) => t.holders.includes(orgType))
}

export const ATTENDANCE_SHORT: Record<AttendanceStatus, string> = { present: '出', leave: '假', absent: '缺', makeup: '补' }

/**
 * An organisation's name without the prefix it shares with the organisation a page looks at
 * (中共常德市武陵区启明街道半边街社区委员会 under 中共常德市武陵区启明街道工作委员会 → …半边街社区委员会),
 * so that long sibling names stay readable in a narrow column.
 */
export function shortName(name: string, root: string): string {
  if (name === root) return name
  let i = 0
  while (i < name.length && i < root.length && name[i] === root[i]) i++
  return i >= 4 && name.length - i >= 2 ? `…${name.slice(i)}` : name
}
