// 党籍管理 (the procedures that change a member's 党籍状态) and 党员数量变化 (党内统计 表一).

import { api, ApiError, download } from '@/api'
import type { StatusChange } from '@/types'

export interface Rule {
  id: string
  title: string
  text: string
  level: 'block' | 'warn' | 'info'
  value: number
  unit: string
  source: string
}

export interface Ground {
  code: string
  name: string
  rule: string
}

export interface Procedure {
  kind: string
  name: string
  group: string
  from: string[]
  from_names: string[]
  to: string
  to_name: string
  probationary_only: boolean
  approval_required: boolean
  document_required: boolean
  approval_hint: string
  event: string
  grounds?: Ground[] | null
  hint: string
  rules: Rule[]
}

export interface StandingSettings {
  lapse_level: 'block' | 'warn'
  updated_at?: string | null
}

export interface KindsAnswer {
  items: Procedure[]
  settings: StandingSettings
}

export interface Available {
  kind: string
  name: string
  allowed: boolean
  reason?: string
}

export interface Change extends StatusChange {
  kind_name: string
}

export interface Standing {
  member_id: number
  name: string
  status: string
  status_name: string
  status_on: string | null
  joined_on: string | null
  category: 'full' | 'probationary'
  items: Change[]
  available: Available[]
}

export interface StandingInput {
  kind: string
  on: string
  ground?: string
  reason: string
  approved_by: string
  document: string
}

export interface Finding {
  rule: string
  title: string
  source: string
  message: string
  level: string
}

export interface StandingAnswer {
  change: Change
  standing: Standing
  warnings: Finding[]
}

export interface ChangeRow {
  org_id: number
  org_code: string
  org_name: string
  node: boolean
  prev_total: number
  prev_frozen: boolean
  develop: number
  rejoin: number
  restore: number
  transfer_in: number
  org_transfer_in: number
  increase: number
  left: number
  expel: number
  withdraw: number
  persuade: number
  persuade_removed: number
  lapse: number
  cancel_probation: number
  suspend: number
  death: number
  transfer_out: number
  org_transfer_out: number
  decrease: number
  expected: number
  actual: number
  difference: number
  explanation?: string
}

export interface Snapshot {
  org_id: number
  year: number
  total: number
  frozen_at: string
  username: string
}

export interface ChangeReport {
  org_id: number
  org_name: string
  year: number
  current: boolean
  as_of: string
  derived: boolean
  note: string
  frozen?: Snapshot | null
  rows: ChangeRow[]
  rule: string
  source: string
  balanced: boolean
}

export interface SnapshotAnswer {
  org_id: number
  year: number
  orgs: number
  total: number
  refroze: boolean
}

export const standingApi = {
  kinds: () => api.get<KindsAnswer>('/api/v1/standing/kinds'),
  standing: (memberId: number) => api.get<Standing>(`/api/v1/members/${memberId}/status-changes`),
  record: (memberId: number, body: StandingInput) => api.post<StandingAnswer>(`/api/v1/members/${memberId}/status-changes`, body),
  report: (orgId: number, year: number) => api.get<ChangeReport>('/api/v1/stats/member-changes', { org: orgId, year }),
  exportReport: (orgId: number, year: number, name: string) => download('/api/v1/stats/member-changes/export', { org: orgId, year }, name),
  freeze: (orgId: number, year: number, confirm = false) =>
    api.post<SnapshotAnswer>('/api/v1/stats/member-changes/snapshots', { org_id: orgId, year, confirm }),
}

/** A refused procedure (422 rule_violation): the message, the rule and its source. */
export interface Refusal {
  rule: string
  title: string
  message: string
  source: string
  others: Finding[]
}

export function refusalOf(e: unknown): Refusal | null {
  if (!(e instanceof ApiError) || e.status !== 422) return null
  const b = e.body as Record<string, unknown>
  if (e.code !== 'rule_violation' && typeof b.rule !== 'string') return null
  const all = (Array.isArray(b.violations) ? b.violations : []) as Finding[]
  const rule = String(b.rule ?? '')
  const message = String(b.message ?? e.detail)
  return {
    rule,
    title: String(b.title ?? ''),
    message,
    source: String(b.source ?? ''),
    others: all.filter((f) => !(f.rule === rule && f.message === message)),
  }
}

/** The balance of a row as a cadre reads it: 上年底 + 增加 − 减少 = 应有, against 实有. */
export function balanceLine(r: ChangeRow): string {
  const base = `${r.prev_total} + ${r.increase} − ${r.decrease} = ${r.expected}`
  if (r.difference === 0) return `${base}，与实有数 ${r.actual} 相符`
  return `${base}，实有数 ${r.actual}，差额 ${r.difference > 0 ? '+' : ''}${r.difference}`
}

/** Whether the children's rows add up to the node's on the columns a move between them cannot change. */
export function childrenSum(rows: ChangeRow[]): { prev: number; actual: number; expected: number } | null {
  const kids = rows.filter((r) => !r.node)
  if (kids.length === 0) return null
  return {
    prev: kids.reduce((a, r) => a + r.prev_total, 0),
    actual: kids.reduce((a, r) => a + r.actual, 0),
    expected: kids.reduce((a, r) => a + r.expected, 0),
  }
}

/** The procedures the dialog offers for a member: allowed ones first, in catalogue order. */
export function offered(kinds: Procedure[], st: Standing): { proc: Procedure; allowed: boolean; reason: string }[] {
  const byKind = new Map(st.available.map((a) => [a.kind, a]))
  return kinds
    .map((p) => ({ proc: p, allowed: byKind.get(p.kind)?.allowed ?? false, reason: byKind.get(p.kind)?.reason ?? '' }))
    .sort((a, b) => Number(b.allowed) - Number(a.allowed))
}
