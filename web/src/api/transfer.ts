// 组织关系转接 API (internal/transfer): letters issued by the member's 党支部 to any 党支部 in
// the system (accepted or returned by the receiver), to outside the system (pending until the
// 回执), registrations of letters from outside, and 整建制转接. A refused act answers 422 naming
// the rule (rule, title, source, message), a decided or stale letter 409.

import { api, buildURL, type Query } from '@/api'
import type { MemberInput, Page } from '@/types'

export type TransferKind = 'internal' | 'out' | 'in' | 'org'
export type TransferStatus = 'pending' | 'accepted' | 'returned' | 'withdrawn'

export interface TransferSide {
  org_id: number | null
  name: string
  /** names above the organisation, top first */
  path: string[]
}

export interface Transfer {
  id: number
  kind: TransferKind
  kind_name: string
  status: TransferStatus
  status_name: string
  overdue: boolean
  letter_no: string
  member_id: number | null
  member_name: string
  gender: string
  category: string
  category_name: string
  id_number: string
  subject_org_id: number | null
  subject_name: string
  member_count: number
  from: TransferSide
  to: TransferSide
  ext_letter_no: string
  reason: string
  issued_on: string
  valid_until: string | null
  dues_paid_to: string
  decided_on: string | null
  decided_by: string
  decision_note: string
  can_accept: boolean
  can_withdraw: boolean
  created_by: string
  created_at: string
  version: number
  warnings?: string[]
}

export interface Destination {
  id: number
  name: string
  path: string[]
}

export interface TransferDefaults {
  dues_paid_to: string
  valid_until: string
  months: number
  cross_province: boolean
  rule: string
  source: string
  open_transfer: number | null
}

export interface CreateTransferInput {
  kind: 'internal' | 'out'
  member_id: number
  to_org_id?: number
  to_name?: string
  cross_province?: boolean
  reason: string
  issued_on?: string
  valid_until?: string
  dues_paid_to?: string
}

export interface Decision {
  version: number
  on?: string
  note?: string
}

export interface IncomingInput {
  to_org_id: number
  from_name: string
  ext_letter_no: string
  letter_date: string
  received_on?: string
  dues_paid_to?: string
  reason?: string
  member: Partial<MemberInput>
}

export type Box = 'out' | 'in'
export type DecisionVerb = 'accept' | 'return' | 'withdraw' | 'receipt'

export const transferApi = {
  list: (q: { box?: Box; status?: string; kind?: string; q?: string; page?: number; page_size?: number }) =>
    api.get<Page<Transfer>>('/api/v1/transfers', q as Query),
  get: (id: number) => api.get<Transfer>(`/api/v1/transfers/${id}`),
  create: (body: CreateTransferInput) => api.post<Transfer>('/api/v1/transfers', body),
  destinations: (q: string) => api.get<{ items: Destination[] }>('/api/v1/transfers/destinations', { q }),
  defaults: (memberId: number, toOrg?: number, cross?: boolean) =>
    api.get<TransferDefaults>('/api/v1/transfers/defaults', { member_id: memberId, to_org_id: toOrg || undefined, cross_province: cross ? 'true' : undefined }),
  decide: (id: number, verb: DecisionVerb, body: Decision) => api.post<Transfer>(`/api/v1/transfers/${id}/${verb}`, body),
  incoming: (body: IncomingInput) => api.post<Transfer>('/api/v1/transfers/incoming', body),
  letterURL: (id: number, reveal = false) => buildURL(`/api/v1/transfers/${id}/letter`, reveal ? { reveal: 'true' } : undefined),
}

/** The state of a letter as a tag: 逾期 first, then its status. */
export function transferTag(t: Pick<Transfer, 'status' | 'overdue'>): { label: string; type: 'success' | 'warning' | 'info' | 'danger' | 'primary' } {
  if (t.overdue) return { label: '逾期', type: 'danger' }
  switch (t.status) {
    case 'pending':
      return { label: '办理中', type: 'warning' }
    case 'accepted':
      return { label: '已办结', type: 'success' }
    case 'returned':
      return { label: '已退回', type: 'danger' }
    default:
      return { label: '已撤回', type: 'info' }
  }
}

/** "2026-06" → "2026年6月"; "" → "无记录". */
export function monthLabel(m: string | null | undefined): string {
  if (!m || !/^\d{4}-\d{2}$/.test(m)) return '无记录'
  return `${m.slice(0, 4)}年${Number(m.slice(5))}月`
}

/** A destination as one line: 中共某乡某社区支部委员会（中共某市委员会 › 中共鼎城区委员会 › 中共某乡委员会）. */
export function destinationLine(d: Pick<Destination, 'name' | 'path'>): string {
  return d.path.length ? `${d.name}（${d.path.join(' › ')}）` : d.name
}
