// Display helpers: dates, the 换届 state and days-left wording, rule levels.

import type { ElectionState, Level, TermState } from '@/types'

export type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

const pad = (n: number) => String(n).padStart(2, '0')

/** A civil date as YYYY-MM-DD in local time. */
export function isoDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** Today as YYYY-MM-DD. */
export function today(now: Date = new Date()): string {
  return isoDate(now)
}

export function fmtDate(s: string | null | undefined): string {
  return s ? s.slice(0, 10) : '—'
}

/** An RFC 3339 timestamp in local time, YYYY-MM-DD HH:mm (seconds too when asked). */
export function fmtDateTime(s: string | null | undefined, seconds = false): string {
  if (!s) return '—'
  const d = new Date(s)
  if (Number.isNaN(d.getTime())) return s
  const t = `${isoDate(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`
  return seconds ? `${t}:${pad(d.getSeconds())}` : t
}

/** When a lock ends: the time alone if it is today, else date and time. */
export function fmtUnlockAt(s: string, now: Date = new Date()): string {
  const d = new Date(s)
  if (Number.isNaN(d.getTime())) return s
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`
  return isoDate(d) === isoDate(now) ? `今天 ${hm}` : `${isoDate(d)} ${hm}`
}

/** Whether an RFC 3339 timestamp lies in the future. */
export function isFuture(s: string | null | undefined, now: Date = new Date()): boolean {
  if (!s) return false
  const t = new Date(s).getTime()
  return !Number.isNaN(t) && t > now.getTime()
}

/** days_left of the 换届 list in words: negative = overdue. */
export function daysLeftText(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—'
  if (n < 0) return `已超期 ${-n} 天`
  if (n === 0) return '今天到期'
  return `剩余 ${n} 天`
}

/** Days from today to a YYYY-MM-DD date (negative when it has passed). */
export function daysUntil(date: string | null | undefined, now: Date = new Date()): number | null {
  if (!date) return null
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date)
  if (!m) return null
  const target = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  const base = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())
  return Math.round((target - base) / 86_400_000)
}

export interface StateLabel {
  label: string
  type: TagType
}

const electionStates: Record<ElectionState, StateLabel> = {
  overdue: { label: '已超期', type: 'danger' },
  due_soon: { label: '即将到期', type: 'warning' },
  missing: { label: '未录入班子', type: 'info' },
  ok: { label: '正常', type: 'success' },
}

export function electionState(s: string): StateLabel {
  return electionStates[s as ElectionState] ?? { label: s || '—', type: 'info' }
}

const termStates: Record<TermState, StateLabel> = {
  current: { label: '正常', type: 'success' },
  due_soon: { label: '即将到期', type: 'warning' },
  overdue: { label: '已超期', type: 'danger' },
  ended: { label: '已换届', type: 'info' },
}

export function termState(s: string): StateLabel {
  return termStates[s as TermState] ?? { label: s || '—', type: 'info' }
}

const levels: Record<Level, { label: string; alert: 'error' | 'warning' | 'info'; tag: TagType }> = {
  block: { label: '禁止', alert: 'error', tag: 'danger' },
  warn: { label: '警告', alert: 'warning', tag: 'warning' },
  info: { label: '提示', alert: 'info', tag: 'info' },
}

export function level(l: string) {
  return levels[l as Level] ?? levels.info
}

/** Orders findings block → warn → info, keeping the server's order otherwise. */
export function byLevel<T extends { level: string }>(items: T[]): T[] {
  const rank = (l: string) => (l === 'block' ? 0 : l === 'warn' ? 1 : 2)
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item.level) - rank(b.item.level) || a.i - b.i)
    .map((x) => x.item)
}

/** A member count, or 待党员数据 until the member registry fills it. */
export function memberCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '待党员数据' : `${n} 人`
}
