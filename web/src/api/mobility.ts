// 流动党员 and 失联党员 API (internal/mobility): 外出登记 and 返回, 失联 with the computed date and
// its basis, 查找记录, 恢复联系; the 流出/流入/失联 lists with the 党内统计 breakdowns, the
// proposals the rules call for and the 应核实 screening list. Every act is on a member:
// /api/v1/mobility/members/{id}/…; a refusal names the rule and its source (see logic.ts).

import { api, download, type Query } from '@/api'
import type { Page } from '@/types'

export interface Code {
  code: string
  name: string
}

export interface MobRule {
  id: string
  title: string
  text: string
  level: string
  value: number
  unit: string
  source: string
}

export interface MobMeta {
  scopes: Code[]
  reasons: Code[]
  situations: Code[]
  outcomes: Code[]
  bands: Code[]
  rules: MobRule[]
}

export interface OrgRef {
  id: number
  code: string
  name: string
}

export interface MemberRef {
  id: number
  name: string
  gender_name: string
  org: OrgRef
  status: string
}

export interface Outing {
  id: number
  member: MemberRef
  left_on: string
  months: number
  scope: string
  scope_name: string
  division_code: string
  division_name: string
  place: string
  reason: string
  reason_name: string
  fixed_place: boolean
  host_org: OrgRef | null
  host_name: string
  host_contact: string
  host_phone: string
  has_card: boolean
  card_no: string
  expected_back: string
  note: string
  returned_on: string
  return_note: string
}

export interface Search {
  id: number
  searched_on: string
  way: string
  result: string
  by_whom: string
}

export interface Loss {
  id: number
  member: MemberRef
  lost_on: string
  basis: 'attendance' | 'dues' | 'manual' | 'roster'
  basis_note: string
  situation: string
  situation_name: string
  band: string
  band_name: string
  months: number
  note: string
  searches: Search[]
  search_count: number
  found_on: string
  outcome: string
  outcome_name: string
  outcome_note: string
}

export interface Basis {
  attended_on: string
  paid_on: string
  lost_on: string
  basis: string
  note: string
  source: string
}

export interface MobRecord {
  member: MemberRef
  mobile: boolean
  lost: boolean
  outing: Outing | null
  outings: Outing[]
  loss: Loss | null
  losses: Loss[]
  basis: Basis
}

export interface Proposal {
  kind: 'transfer' | 'suspend' | 'lapse'
  title: string
  member: MemberRef
  since: string
  due_on: string
  detail: string
  rule: string
  source: string
  action: { method: string; path: string; kind?: string }
}

export interface Unchecked {
  member: MemberRef
  joined_on: string
  attended_on: string
  paid_on: string
  mobile: boolean
}

export interface OutingList extends Page<Outing> {
  summary: { total: number; by_scope: Record<string, number>; with_card: number; fixed: number; over_6m: number; unregistered: number }
}

export interface LossList extends Page<Loss> {
  summary: { total: number; by_band: Record<string, number>; by_situation: Record<string, number>; searched: number }
}

export interface OutingInput {
  left_on: string
  scope: string
  division_code: string
  place: string
  reason: string
  fixed_place: boolean
  host_org_id: number | null
  host_name: string
  host_contact: string
  host_phone: string
  has_card: boolean
  card_no: string
  expected_back: string | null
  note: string
}

const base = '/api/v1/mobility'
const m = (id: number, act = '') => `${base}/members/${id}${act}`

export const mobilityApi = {
  meta: () => api.get<MobMeta>(`${base}/meta`),
  record: (id: number) => api.get<MobRecord>(m(id)),
  go: (id: number, body: OutingInput) => api.post<MobRecord>(m(id, '/outing'), body),
  back: (id: number, body: { returned_on: string; note: string }) => api.post<MobRecord>(m(id, '/return'), body),
  lost: (id: number, body: { lost_on: string | null; situation: string; note: string }) => api.post<MobRecord>(m(id, '/lost'), body),
  search: (id: number, body: { searched_on: string; way: string; result: string; by_whom: string }) => api.post<MobRecord>(m(id, '/searches'), body),
  restore: (id: number, body: { found_on: string; outcome: string; note: string }) => api.post<MobRecord>(m(id, '/restore'), body),
  outings: (query: Query) => api.get<OutingList>(`${base}/outings`, query),
  hosted: (query: Query) => api.get<OutingList>(`${base}/hosted`, query),
  losses: (query: Query) => api.get<LossList>(`${base}/losses`, query),
  proposals: (org: number | null) => api.get<{ items: Proposal[] | null }>(`${base}/proposals`, { org }),
  screening: (query: Query) => api.get<Page<Unchecked>>(`${base}/screening`, query),
  hostOrgs: (q: string) => api.get<{ items: OrgRef[] | null }>(`${base}/host-orgs`, { q }),
  phone: (outingId: number) => api.get<{ phone: string }>(`${base}/outings/${outingId}/phone`),
  exportOutings: (query: Query) => download(`${base}/outings/export`, query, query.hosted ? '流入党员.xlsx' : '流出党员.xlsx'),
  exportLosses: (query: Query) => download(`${base}/losses/export`, query, '失联党员.xlsx'),
}
