// 党员结构统计 for people: shares, the KPI cards, and each figure as table rows.

import type { Count, MemberStats } from '@/types'

/** A share as a percentage with one decimal (38.2%); — when there is nothing to divide by. */
export function share(part: number | null | undefined, total: number | null | undefined): string {
  if (!total || part === null || part === undefined) return '—'
  const p = Math.round((part / total) * 1000) / 10
  return `${p.toFixed(1)}%`
}

export interface Kpi {
  key: string
  label: string
  value: number | string
  /** 占党员总数 x% */
  share?: string
  cls?: string
}

export function kpis(s: MemberStats | null | undefined): Kpi[] {
  const v = (n: number | undefined) => (s ? (n ?? 0) : '—')
  const sh = (n: number | undefined) => (s ? share(n ?? 0, s.total) : undefined)
  return [
    { key: 'total', label: '党员总数', value: v(s?.total) },
    { key: 'full', label: '正式党员', value: v(s?.full), share: sh(s?.full) },
    { key: 'probationary', label: '预备党员', value: v(s?.probationary), share: sh(s?.probationary) },
    { key: 'female', label: '女党员', value: v(s?.female), share: sh(s?.female) },
    { key: 'minority', label: '少数民族党员', value: v(s?.minority), share: sh(s?.minority) },
    { key: 'under_35', label: '35岁及以下', value: v(s?.under_35), share: sh(s?.under_35) },
    { key: 'mobile', label: '流动党员', value: v(s?.mobile), share: sh(s?.mobile) },
    { key: 'lost_contact', label: '失联党员', value: v(s?.lost_contact), share: sh(s?.lost_contact), cls: (s?.lost_contact ?? 0) > 0 ? 'warn' : '' },
  ]
}

export interface CountRow {
  code: string
  name: string
  count: number
  share: string
}

/** A figure as table rows with the share of each line, in the server's order (the table adds the 合计 line). */
export function countRows(counts: Count[] | null | undefined, total?: number): CountRow[] {
  const list = counts ?? []
  const sum = total ?? list.reduce((a, c) => a + c.count, 0)
  return list.map((c) => ({ code: c.code, name: c.name, count: c.count, share: share(c.count, sum) }))
}

export function hasData(counts: Count[] | null | undefined): boolean {
  return (counts ?? []).some((c) => c.count > 0)
}
