// 组织生活 API (internal/life): meetings recorded once, with the roster-checked attendance and vote
// counts; compliance, study hours, the 台账 and the workbench are derived on the server.

import { api, buildURL, download, type Query } from '@/api'
import type { Page } from '@/types'

export type Frequency = 'month' | 'quarter' | 'half' | 'year' | 'none'
export type Quorum = '' | 'voting_majority' | 'committee_majority' | 'election_four_fifths'
export type AttendanceStatus = 'present' | 'leave' | 'absent' | 'makeup'
export type ReqStatus = 'held' | 'pending' | 'missed' | 'na'

export interface LifeOption {
  code: string
  name: string
}

export interface LifeRule {
  id: string
  title: string
  text: string
  level: string
  value: number
  unit: string
  source: string
}

export interface MeetingType {
  code: string
  name: string
  short: string
  holders: string[]
  condition: '' | 'committee'
  frequency: Frequency
  rule_id: string
  quorum: Quorum
  quorum_rule_id: string
  default_hours: number
  counts_as_life: boolean
  votes: boolean
  host_label: string
  also_counts: string[]
  hint: string
  source: string
  level: string
}

export interface LifeMeta {
  types: MeetingType[]
  frequencies: LifeOption[]
  attendance: LifeOption[]
  grades_4: LifeOption[]
  grades_3: LifeOption[]
  disposals: LifeOption[]
  talk_kinds: LifeOption[]
  rules: LifeRule[]
}

export interface LifeRef {
  id: number
  code: string
  name: string
  type: string
  type_name: string
}

export interface Seat {
  leader_id: number
  name: string
  post: string
  post_name: string
  member_id: number | null
}

export interface RosterMember {
  id: number
  name: string
  category: 'full' | 'probationary'
  category_name: string
  voting: boolean
  mobile: boolean
  mobile_to: string
  committee: boolean
  post_name: string
  status: '' | AttendanceStatus
}

export interface Roster {
  org: LifeRef
  date: string
  type: string
  source: LifeRef
  members: RosterMember[] | null
  voting: number
  committee: Seat[] | null
  has_term: boolean
  has_committee: boolean
  quorum_text: string
  notes: string[] | null
}

export interface Attendance {
  member_id: number
  name: string
  status: AttendanceStatus
  status_name: string
  reason: string
  makeup_on: string | null
}

export interface Counts {
  listed: number
  present: number
  leave: number
  absent: number
  makeup: number
}

export interface Vote {
  subject: string
  entitled: number
  present_entitled: number
  yes: number
  no: number
  abstain: number
  passed: boolean
}

export interface QuorumResult {
  rule: Quorum
  rule_id: string
  entitled: number
  present: number
  needed: number
  ok: boolean
  text: string
  source: string
}

export interface Meeting {
  id: number
  org: LifeRef
  type: string
  type_name: string
  also_types: string[]
  held_on: string
  start_time: string
  end_time: string
  place: string
  host: string
  topic: string
  first_topic: string
  agenda: string
  minutes: string
  decisions: string
  study_hours: number
  attendance: Attendance[]
  counts: Counts
  votes: Vote[]
  quorum: QuorumResult | null
  warnings: string[] | null
  created_by: string
  version: number
  created_at: string
  updated_at: string
}

export interface MeetingSummary {
  id: number
  org: LifeRef
  type: string
  type_name: string
  also_types: string[]
  held_on: string
  topic: string
  place: string
  study_hours: number
  counts: Counts
  version: number
}

export interface AttendanceInput {
  member_id: number
  status: AttendanceStatus
  reason: string
  makeup_on?: string | null
}

export interface VoteInput {
  subject: string
  entitled?: number | null
  present_entitled?: number | null
  yes: number
  no: number
  abstain: number
}

export interface MeetingInput {
  org_id: number
  type: string
  also_types: string[]
  held_on: string
  start_time: string
  end_time: string
  place: string
  host: string
  topic: string
  first_topic: string
  agenda: string
  minutes: string
  decisions: string
  study_hours: number | null
  attendance: AttendanceInput[]
  votes: VoteInput[]
}

export interface VersionEntry {
  version: number
  summary: string
  username: string
  saved_at: string
  snapshot: Meeting
}

export interface PeriodJSON {
  code: string
  label: string
  from: string
  to: string
}

export interface PeriodCheck {
  period: PeriodJSON
  status: ReqStatus
  dates: string[]
  text: string
}

export interface Requirement {
  type: string
  type_name: string
  frequency: Frequency
  frequency_name: string
  rule_id: string
  rule_text: string
  source: string
  frequency_from: string
  status: ReqStatus
  status_name: string
  text: string
  periods: PeriodCheck[]
}

export interface Finding {
  rule_id: string
  level: string
  message: string
  source: string
}

export interface Lapse {
  member_id: number
  name: string
  org_id: number
  last_attended: string | null
  leaves: number
  mobile: boolean
  text: string
  source: string
}

export interface Tally {
  held: number
  pending: number
  missed: number
  na: number
}

export interface UnitCompliance {
  org: LifeRef
  parent_name: string
  requirements: Requirement[]
  findings: Finding[]
  lapses: Lapse[]
  tally: Tally
}

export interface ChildSummary {
  org: LifeRef
  self: boolean
  units: number
  tally: Tally
  units_missing: number
  silent: number
  lapsed: number
}

export interface Compliance {
  org: LifeRef
  period: PeriodJSON
  closed: boolean
  today: string
  lapse_from: string
  lapse_to: string
  items: UnitCompliance[]
  total: number
  page: number
  page_size: number
  summary: ChildSummary[]
  totals: ChildSummary
  elections: { overdue: number; due_soon: number; ok: number; missing: number }
  notes: string[]
}

export interface HoursItem {
  member_id: number
  name: string
  org: LifeRef
  leader: boolean
  post_name: string
  hours: number
  meetings: number
  target: number
  status: 'met' | 'in_progress' | 'not_met'
  status_name: string
  joined_this_year: boolean
}

export interface HoursAnswer {
  org: LifeRef
  year: number
  closed: boolean
  targets: LifeRule[]
  summary: { members: number; met: number; in_progress: number; not_met: number }
  items: HoursItem[]
  total: number
  notes: string[]
}

export interface Evaluation {
  id: number
  org: LifeRef
  member_id: number
  member_name: string
  year: number
  meeting_id: number | null
  self_assessment: string
  counts: Record<string, number>
  grade: string
  grade_name: string
  disposal: string
  disposal_name: string
  disposal_note: string
  decided_on: string | null
  created_by: string
  version: number
}

export interface EvaluationList extends Page<Evaluation> {
  grades: LifeOption[]
  by_grade: Record<string, number>
  by_disposal: Record<string, number>
  not_evaluated: number
}

export interface EvaluationInput {
  member_id: number
  year: number
  meeting_id?: number | null
  self_assessment: string
  counts: Record<string, number>
  grade: string
  disposal: string
  disposal_note: string
  decided_on: string | null
}

export interface Talk {
  id: number
  org: LifeRef
  held_on: string
  kind: string
  kind_name: string
  talker_member_id: number | null
  talker_name: string
  with_member_id: number | null
  with_leader_id: number | null
  with_name: string
  summary: string
  created_by: string
}

export interface TalkInput {
  org_id: number
  held_on: string
  kind: string
  talker_member_id?: number | null
  talker_name: string
  with_member_id?: number | null
  with_leader_id?: number | null
  with_name: string
  summary: string
}

export interface CoverageItem {
  org: LifeRef
  period: PeriodJSON
  total: number
  covered: number
  uncovered: { id: number; name: string; post?: string }[]
  status: ReqStatus
  text: string
  rule_id: string
  source: string
}

export interface Coverage {
  org: LifeRef
  scope: 'branch' | 'village'
  period: PeriodJSON
  items: CoverageItem[]
  total: number
  summary: { orgs: number; complete: number; people: number; covered: number }
}

export interface LifeSettings {
  theme_day: number | null
  study_hours_target: number | null
  leader_study_hours_target: number | null
  grade_set: '3' | '4' | null
  frequencies: Record<string, Frequency>
}

export interface SettingsAnswer {
  org: LifeRef
  own: LifeSettings
  effective: {
    theme_day: number
    study_hours_target: number
    leader_study_hours_target: number
    grade_set: string
    grades: LifeOption[]
    frequencies: Record<string, Frequency>
    from: Record<string, string>
  }
}

export interface WorkItem {
  kind: 'meeting' | 'talk' | 'lapse' | 'silent' | 'election' | 'member_changes' | 'development' | 'transfer' | 'mobility'
  org: LifeRef
  title: string
  due_on: string | null
  date: string
  source: string
  link: string
}

export interface Workbench {
  today: string
  managed: LifeRef[]
  items: WorkItem[]
  notes: string[]
}

let metaCache: Promise<LifeMeta> | null = null

export const lifeApi = {
  /** The meeting types and other reference data, asked once per page load. */
  meta: (): Promise<LifeMeta> => {
    metaCache ??= api.get<LifeMeta>('/api/v1/life/meta').catch((e) => {
      metaCache = null
      throw e
    })
    return metaCache
  },
  settings: (org: number) => api.get<SettingsAnswer>('/api/v1/life/settings', { org }),
  putSettings: (org: number, body: LifeSettings) => api.put<SettingsAnswer>(`/api/v1/life/settings?org=${org}`, body),
  roster: (org: number, date: string, type: string) => api.get<Roster>('/api/v1/meetings/roster', { org, date, type }),
  meetings: (query: Query) => api.get<Page<MeetingSummary>>('/api/v1/meetings', query),
  meeting: (id: number) => api.get<Meeting>(`/api/v1/meetings/${id}`),
  createMeeting: (body: MeetingInput) => api.post<Meeting>('/api/v1/meetings', body),
  updateMeeting: (id: number, body: Partial<MeetingInput> & { version: number; note?: string }) => api.patch<Meeting>(`/api/v1/meetings/${id}`, body),
  deleteMeeting: (id: number) => api.del(`/api/v1/meetings/${id}`),
  versions: (id: number) => api.get<{ items: VersionEntry[] | null }>(`/api/v1/meetings/${id}/versions`),
  makeup: (id: number, body: { member_id: number; on: string; note: string; version?: number }) => api.post<Meeting>(`/api/v1/meetings/${id}/makeup`, body),
  compliance: (query: Query) => api.get<Compliance>('/api/v1/compliance', query),
  studyHours: (query: Query) => api.get<HoursAnswer>('/api/v1/study-hours', query),
  evaluations: (query: Query) => api.get<EvaluationList>('/api/v1/evaluations', query),
  createEvaluation: (body: EvaluationInput) => api.post<Evaluation>('/api/v1/evaluations', body),
  updateEvaluation: (id: number, body: Partial<EvaluationInput> & { version: number }) => api.patch<Evaluation>(`/api/v1/evaluations/${id}`, body),
  deleteEvaluation: (id: number) => api.del(`/api/v1/evaluations/${id}`),
  talks: (query: Query) => api.get<Page<Talk>>('/api/v1/talks', query),
  createTalk: (body: TalkInput) => api.post<Talk>('/api/v1/talks', body),
  deleteTalk: (id: number) => api.del(`/api/v1/talks/${id}`),
  coverage: (query: Query) => api.get<Coverage>('/api/v1/talks/coverage', query),
  workbench: () => api.get<Workbench>('/api/v1/workbench'),
  downloadLedger: (org: number, year: number, name: string) => download('/api/v1/ledger/life', { org, year }, name),
  /** The printable ledger opens in a new tab (the session cookie goes with it). */
  ledgerHTMLURL: (org: number, year: number) => buildURL('/api/v1/ledger/life', { org, year, format: 'html' }),
}
