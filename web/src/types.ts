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
