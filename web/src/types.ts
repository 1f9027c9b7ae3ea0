// Shapes of the JSON the server sends, as docs/api.md describes them.

export type Perm =
  | 'org.read'
  | 'org.write'
  | 'org.browse'
  | 'user.manage'
  | 'role.grant'
  | 'security.manage'
  | 'audit.read'
  | 'self.read'
  | 'pii.read'
  | 'pii.export'

export interface RoleGrant {
  role: string
  role_name: string
  org_id: number | null
  org_code?: string
  org_name?: string
}

export interface Me {
  id: number
  username: string
  display_name: string
  roles: RoleGrant[]
  permissions: Perm[]
  csrf_token: string
  password_expired: boolean
}

export interface LoginAnswer {
  user: Me
  csrf_token: string
}

export interface Option {
  code: string
  name: string
}

export interface TypeOption extends Option {
  allowed_children: string[]
}

export interface OrgMeta {
  types: TypeOption[]
  unit_types: Option[]
  posts: Option[]
  statuses: Option[]
}

export interface OrgRef {
  id: number
  code: string
  name: string
  type?: string
  type_name?: string
}

export type OrgStatus = 'active' | 'dissolved'

export interface Org {
  id: number
  code: string
  name: string
  short_name: string
  type: string
  type_name: string
  unit_type: string
  unit_type_name: string
  division_code: string
  division_name: string
  parent_id: number | null
  parent_name: string
  depth: number
  status: OrgStatus
  status_name?: string
  dissolved_on: string | null
  dissolved_reason: string
  established_on: string | null
  units: string[] | null
  sort_order: number
  full_members: number | null
  probationary_members: number | null
  child_count: number
  created_at: string
  updated_at: string
  version: number
  ancestors?: OrgRef[]
}

export interface TreeNode {
  id: number
  code: string
  name: string
  type: string
  type_name: string
  status: OrgStatus
  child_count: number
}

export interface Page<T> {
  items: T[]
  total: number
  page?: number
  page_size?: number
}

export type Level = 'block' | 'warn' | 'info'

export interface Finding {
  rule_id: string
  level: Level
  message: string
  source: string
}

export interface OrgEvent {
  id: number
  at: string
  kind: string
  kind_name: string
  summary: string
  username: string
}

export type TermState = 'current' | 'due_soon' | 'overdue' | 'ended'

export interface Leader {
  id: number
  term_id: number
  name: string
  post: string
  post_name: string
  started_on: string | null
  ended_on: string | null
  note: string
}

export interface Term {
  id: number
  org_id: number
  elected_on: string | null
  term_years: number
  ends_on: string | null
  extended_to: string | null
  extension_reason: string
  extension_approval: string
  closed_on?: string | null
  due_on: string | null
  state: TermState
  source: string
  leaders: Leader[] | null
}

export interface Committee {
  current: Term | null
  terms: Term[] | null
}

export type ElectionState = 'overdue' | 'due_soon' | 'missing' | 'ok'

export interface Election {
  org: OrgRef
  term: Term | null
  due_on: string | null
  days_left: number | null
  state: ElectionState
}

export interface OrgFindings {
  org: OrgRef
  findings: Finding[]
}

export interface Count {
  code: string
  name: string
  count: number
}

export interface Stats {
  total: number
  active: number
  dissolved: number
  by_type: Count[] | null
  by_unit_type: Count[] | null
  elections: { overdue: number; due_soon: number; ok: number; missing: number }
}

export interface Rule {
  id: string
  title: string
  text: string
  level: Level
  value: number
  unit?: string
  source: string
}

export interface Division {
  code: string
  name: string
  level: number
  has_children: boolean
}

export interface Role {
  code: string
  name: string
  description: string
  needs_org: boolean
  permissions: Perm[]
}

export interface User {
  id: number
  username: string
  display_name: string
  disabled: boolean
  locked_until: string | null
  last_login_at: string | null
  created_at: string
  roles: RoleGrant[] | null
}

export interface SecuritySettings {
  max_failed_logins: number
  lockout_minutes: number
  session_idle_minutes: number
  password_min_length: number
}

export interface AuditEntry {
  id: number
  at: string
  username: string
  action: string
  entity: string
  entity_id: string | number | null
  summary: string
  before: unknown
  after: unknown
  ip: string
}

// ---- Member registry (党员信息库) ----

export interface EducationOption extends Option {
  /** the 党统 bucket (研究生、大学本科…) the filter and the statistics use */
  bucket: string
}

export interface JobOption extends Option {
  /** the code of the group the job belongs to; '' for a group */
  parent: string
}

export interface CodeItem {
  code: string
  name: string
  /** the code of the item above it in a tree table (学历, 工作岗位); '' at the top */
  parent: string
  sort?: number
  edited?: boolean
}

export interface CodeTable {
  kind: string
  name: string
  source: string
  note?: string
  editable: boolean
  items: CodeItem[] | null
}

/** GET /members/meta as the server sends it: the code tables with their sources. */
export interface MemberMetaAnswer {
  tables?: CodeTable[] | null
  age_bands?: Count[] | Option[] | null
  history_kinds?: Option[] | null
  categories?: Option[] | null
  joined_periods?: Option[] | null
  sources?: { what: string; source: string }[] | null
  // The first contract's flat lists, still understood.
  genders?: Option[]
  ethnicities?: Option[]
  educations?: EducationOption[]
  education_buckets?: Option[]
  jobs?: JobOption[]
  statuses?: Option[]
  lost_situations?: Option[]
}

/** The member code tables as the pages use them (built from MemberMetaAnswer). */
export interface MemberMeta {
  genders: Option[]
  ethnicities: Option[]
  educations: EducationOption[]
  education_buckets: Option[]
  jobs: JobOption[]
  statuses: Option[]
  lost_situations: Option[]
  age_bands: Option[]
  /** code table kind → its source (GB/T 2261.1…), for the hints */
  sources: Record<string, string>
}

export type MemberCategory = 'full' | 'probationary'
export type MemberStatus = 'normal' | 'suspended' | 'left' | 'deceased' | 'transferred'

/** A member's record. id_number, phone and address are masked unless `revealed`. */
export interface Member {
  id: number
  org_id: number
  org_code: string
  org_name: string
  name: string
  gender: string
  gender_name: string
  id_number: string
  ethnicity: string
  ethnicity_name: string
  birth_date: string | null
  age: number
  education: string
  education_name: string
  category: MemberCategory
  category_name: string
  joined_on: string | null
  full_on: string | null
  job: string
  job_name: string
  phone: string
  address: string
  status: MemberStatus
  status_name: string
  status_on: string | null
  lost_contact: boolean
  lost_on: string | null
  lost_situation: string
  mobile: boolean
  mobile_to: string
  native_place: string
  degree: string
  tech_title: string
  party_post: string
  work_started_on: string | null
  hardship: boolean
  introducers: string
  has_photo: boolean
  revealed: boolean
  created_at: string
  updated_at: string
  version: number
}

export type HistoryKind = 'post' | 'award' | 'punishment' | 'transfer'

export interface MemberHistory {
  id: number
  kind: HistoryKind
  kind_name: string
  started_on: string | null
  ended_on: string | null
  title: string
  detail: string
}

export interface StatusChange {
  id: number
  from: string
  from_name?: string
  to: string
  to_name?: string
  on: string | null
  /** the 党籍管理 procedure (suspend, restore, expel …); empty for early records */
  kind?: string
  reason: string
  approved_by: string
  /** 文件名称和文号 */
  document?: string
  username?: string
  created_at?: string
}

/** A rule that does not stop saving but should be looked at (预备期超过两年…). */
export interface MemberWarning {
  field: string
  message: string
  rule_id: string
}

export interface MemberDetail extends Member {
  history: MemberHistory[] | null
  status_changes: StatusChange[] | null
  warnings?: MemberWarning[] | null
}

/** The fields of POST /members; PATCH takes any subset plus version. */
export interface MemberInput {
  org_id: number | null
  name: string
  gender: string
  id_number: string
  ethnicity: string
  birth_date: string | null
  education: string
  joined_on: string | null
  full_on: string | null
  job: string
  phone: string
  address: string
  lost_contact: boolean
  lost_on: string | null
  lost_situation: string
  mobile: boolean
  mobile_to: string
  native_place: string
  degree: string
  tech_title: string
  party_post: string
  work_started_on: string | null
  hardship: boolean
  introducers: string
}

export interface ImportMapping {
  column: string
  header: string
  field: string
  field_name: string
}

export interface ImportChange {
  row: number
  member_id: number
  name: string
  fields: string[] | null
}

/** An imported column the server did not use: a header, or its column and header. */
export type ImportIgnored = string | { column?: string; header?: string; reason?: string }

export interface ImportResult {
  ok: true
  dry_run?: boolean
  created: number
  updated: number
  unchanged: number
  changes: ImportChange[] | null
  mapping: ImportMapping[] | null
  ignored: ImportIgnored[] | null
  notes: string[] | null
}

export interface ImportRowError {
  row?: number
  column?: string
  header?: string
  field?: string
  message: string
}

/** The body of a 422 answer to an import: nothing was saved. */
export interface ImportProblem {
  title?: string
  detail?: string
  errors?: ImportRowError[] | null
  mapping?: ImportMapping[] | null
  ignored?: ImportIgnored[] | null
  notes?: string[] | null
  /** the uploaded workbook with the bad cells marked, base64 */
  error_workbook?: string
}

export interface MemberStats {
  org_id: number
  total: number
  full: number
  probationary: number
  female: number
  minority: number
  under_35: number
  mobile: number
  lost_contact: number
  suspended: number
  age_bands: Count[] | null
  education: Count[] | null
  occupation: Count[] | null
  joined_period: Count[] | null
  /** the organisations of the subtree by type */
  orgs?: Count[] | null
  /** the day ages are counted on */
  today?: string
}

export interface FieldChange {
  from: unknown
  to: unknown
}

/** One requested change as the server lists it: labels and values already for people. */
export interface FieldChangeLine {
  field: string
  label: string
  from: string
  to: string
}

export type ChangeRequestStatus = 'pending' | 'approved' | 'rejected'

/** A member's request to change key fields of their record, for the branch to approve. */
export interface ChangeRequest {
  id: number
  member_id: number
  member_name: string
  org_name: string
  changes: FieldChangeLine[] | Record<string, FieldChange> | null
  status: ChangeRequestStatus
  status_name?: string
  requested_at: string
  requested_by: string
  decided_at?: string | null
  decided_by?: string
  note?: string
}

/** The answer to a member's own changes: what applied at once, and the request filed for the rest. */
export interface SelfChangeAnswer {
  applied: string[] | null
  request?: ChangeRequest | null
  member?: SelfRecord | null
  /** the first contract's list of the fields sent for approval */
  pending?: string[] | null
}

/**
 * GET /me/member: the member's own record. A request still waiting for the branch, when the
 * server includes it (pending_request), is shown at the top.
 */
export interface SelfRecord extends MemberDetail {
  pending_request?: ChangeRequest | null
  pending_changes?: ChangeRequest[] | null
}
