// 发展党员 API (internal/development): one case per applicant, the 25 steps of the national flow
// recorded against a versioned rule set. The server derives the phase and what is due next and
// checks every step; a refused step answers 422 naming the rule (see views/development/logic.ts).

import { api, type Query } from '@/api'
import type { Page } from '@/types'

export type DevPhase = 'applicant' | 'activist' | 'candidate' | 'probationary' | 'full' | 'cancelled'
export type CaseStatus = 'open' | 'closed'
export type ActorLevel = 'self' | 'branch' | 'upper'
export type RuleLevel = 'block' | 'warn' | 'info'
export type Outcome = 'full' | 'extend' | 'cancel'
export type PersonRole = 'talker' | 'contact' | 'introducer'

export interface DevOrgRef {
  id: number
  code: string
  name: string
  type: string
  type_name: string
}

export interface DevStage {
  code: string
  name: string
}

export interface DevStep {
  code: string
  seq: number
  stage: string
  name: string
  actor: string
  actor_level: ActorLevel
  /** what is usually produced (a hint only: an upload is never required) */
  documents: string[]
  /** the rules checked when this step is recorded */
  rules: string[]
  repeatable: boolean
  note: string
}

export interface DevCheck {
  id: string
  title: string
  text: string
  level: RuleLevel
  value: number
  unit: string
  source: string
  article: string
}

export interface DevRuleSet {
  version: string
  title: string
  source: string
  default: boolean
  verified: boolean
  note: string
  stages: DevStage[]
  steps: DevStep[]
  checks: DevCheck[]
}

export interface DevSettings {
  rule_version: string | null
  publicity_days: number | null
  activist_min_months: number | null
  pre_review_days: number | null
  levels: Record<string, RuleLevel> | null
}

export interface DevEffective {
  rule_version: string
  publicity_days: number
  activist_min_months: number
  pre_review_days: number
  levels: Record<string, RuleLevel>
  from: Record<string, string>
}

export interface RulesAnswer {
  org: DevOrgRef
  rule_set: DevRuleSet
  versions: string[]
  own: DevSettings
  effective: DevEffective
}

export interface Person {
  role: PersonRole | ''
  member_id: number | null
  name: string
}

/** A 支部大会 表决: counts only, never who voted how. */
export interface Vote {
  /** 应到会有表决权的正式党员人数 */
  entitled: number
  /** 到会有表决权人数（含会前正式提出书面意见的） */
  present_entitled: number
  yes: number
  no: number
  abstain: number
  passed?: boolean
}

export interface StepData {
  people?: Person[]
  vote?: Vote
  documents?: string[]
  training_days?: number
  training_hours?: number
  approver_org_id?: number
  approver_name?: string
  delay_reason?: string
  publicity_from?: string
  publicity_to?: string
  outcome?: Outcome
  extend_months?: number
  leaving_soon?: boolean
  meeting_id?: number | null
  publicity_working_days?: number
  probation_ends?: string
}

/** A rule an entry broke: refused (block) or accepted with a warning (warn). */
export interface Finding {
  rule: string
  title: string
  article: string
  source: string
  message: string
  level: RuleLevel
}

export interface StepRecord {
  id: number
  seq: number
  step: string
  name: string
  on: string
  note: string
  data: StepData
  warnings: Finding[]
  created_by: string
  created_at: string
}

export interface NextStep {
  step: string
  name: string
  stage: string
  actor: string
  actor_level: ActorLevel
  /** the earliest day it may be done (e.g. 培养一年以上) */
  not_before: string | null
  due_on: string | null
  /** the day it must not pass (审批不超过六个月) */
  limit: string | null
  overdue: boolean
  rule: string
  article: string
  text: string
  /** 预审、审批: the 党委 whose users record it */
  approver?: string
}

export interface DevCase {
  id: number
  org: DevOrgRef
  name: string
  gender: string
  gender_name: string
  /** masked: the server never reveals it here */
  id_number: string
  birth_date: string | null
  rule_version: string
  status: CaseStatus
  phase: DevPhase
  phase_name: string
  applied_on: string | null
  joined_on: string | null
  probation_ends: string | null
  full_on: string | null
  extended: boolean
  member_id: number | null
  /** the 党员信息 the registry record is built from (phone and address masked) */
  profile: CaseProfile
  /** letters the case can generate (GET …/letters/{kind}) */
  letters: LetterRef[] | null
  next: NextStep | null
  /** only on GET /cases/{id} */
  steps?: StepRecord[]
  created_at: string
  updated_at: string
  version: number
}

export interface ProfileFields {
  ethnicity: string
  education: string
  job: string
  native_place: string
  phone: string
  address: string
}

export interface CaseProfile extends ProfileFields {
  ethnicity_name: string
  education_name: string
  job_name: string
  /** fields still needed before the 审批 can create the member record */
  missing: string[] | null
}

export interface Profile extends Partial<ProfileFields> {
  id_number?: string
}

export interface LetterRef {
  kind: string
  name: string
}

export const PROFILE_LABELS: Record<string, string> = {
  id_number: '公民身份号码',
  ethnicity: '民族',
  education: '学历',
  job: '工作岗位',
  native_place: '籍贯',
  phone: '联系电话',
  address: '家庭住址',
}

export interface CaseInput extends Partial<ProfileFields> {
  org_id: number | null
  name: string
  gender: string
  id_number: string
  birth_date: string | null
  applied_on: string | null
  documents: string[]
  note: string
}

export interface StepInput extends StepData {
  step: string
  on: string
  version: number
  note: string
  /** 审批: completes the 党员信息 in the same act */
  profile?: Profile
}

export interface StepAnswer {
  case: DevCase
  warnings: Finding[] | null
}

/**
 * One thing due. The server embeds the next step in the item, so `name` is the applicant's
 * name and the step's name is looked up by its code in the rule set.
 */
export interface TodoItem extends Omit<NextStep, 'name'> {
  case_id: number
  /** the applicant (the step's own name is step_name) */
  name: string
  step_name: string
  org: DevOrgRef
  phase: DevPhase
  phase_name: string
}

export interface CalendarDay {
  day: string
  /** normal: a built-in day an edit here made ordinary (listed so that it can be reverted) */
  kind: 'holiday' | 'workday' | 'normal'
  name: string
  source: string
  edited: boolean
  /** the built-in arrangement an edit overrides, e.g. 放假：春节 */
  replaces?: string
}

export interface CalendarInput {
  kind: 'holiday' | 'workday' | 'normal'
  name: string
  source: string
}

export interface CaseQuery extends Query {
  org?: number
  phase?: DevPhase | ''
  status?: 'open' | 'closed' | 'all' | ''
  q?: string
  page?: number
  page_size?: number
}

export const devApi = {
  rules: (orgId: number) => api.get<RulesAnswer>('/api/v1/development/rules', { org: orgId }),
  putSettings: (orgId: number, body: DevSettings) => api.put<RulesAnswer>(`/api/v1/development/settings?org=${orgId}`, body),
  cases: (query: CaseQuery) => api.get<Page<DevCase>>('/api/v1/development/cases', query),
  get: (id: number) => api.get<DevCase>(`/api/v1/development/cases/${id}`),
  create: (body: CaseInput) => api.post<StepAnswer>('/api/v1/development/cases', body),
  putProfile: (id: number, body: Profile) => api.put<DevCase>(`/api/v1/development/cases/${id}/profile`, body),
  letterUrl: (id: number, kind: string) => `/api/v1/development/cases/${id}/letters/${kind}`,
  recordStep: (id: number, body: StepInput) => api.post<StepAnswer>(`/api/v1/development/cases/${id}/steps`, body),
  todo: (orgId: number | null, actor: ActorLevel | '' = '') =>
    api.get<{ items: TodoItem[] | null }>('/api/v1/development/todo', { org: orgId ?? undefined, actor }),
  calendar: (year: number) => api.get<{ items: CalendarDay[] | null }>('/api/v1/development/calendar', { year }),
  putCalendarDay: (day: string, body: CalendarInput) => api.put<{ items: CalendarDay[] | null }>(`/api/v1/development/calendar/${day}`, body),
  revertCalendarDay: (day: string) => api.del<{ items: CalendarDay[] | null }>(`/api/v1/development/calendar/${day}`),
}
