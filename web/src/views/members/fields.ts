// The member fields in Chinese, and their values as people read them (codes → names, 是/否),
// for the approval list, the import result and the self-service page.

import type { ChangeRequest, MemberMeta, Option } from '@/types'

export const FIELD_LABELS: Record<string, string> = {
  org_id: '所在党支部',
  name: '姓名',
  gender: '性别',
  id_number: '公民身份号码',
  ethnicity: '民族',
  birth_date: '出生日期',
  education: '学历',
  category: '人员类别',
  joined_on: '入党日期',
  full_on: '转正日期',
  job: '工作岗位',
  phone: '联系电话',
  address: '家庭住址',
  status: '党籍状态',
  status_on: '党籍状态变更日期',
  lost_contact: '失联党员',
  lost_on: '失去联系日期',
  lost_situation: '失联情形',
  mobile: '流动党员',
  mobile_to: '外出流向',
  native_place: '籍贯',
  degree: '学位',
  tech_title: '专业技术职务',
  party_post: '党内职务',
  work_started_on: '参加工作日期',
  hardship: '生活困难',
  introducers: '入党介绍人',
  photo: '照片',
}

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field
}

/** The name of a code in a code table, or the code itself when the table does not have it. */
export function optionName(list: readonly Option[] | null | undefined, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return ''
  return list?.find((o) => o.code === code)?.name ?? code
}

const CODED: Record<string, keyof MemberMeta> = {
  gender: 'genders',
  ethnicity: 'ethnicities',
  education: 'educations',
  job: 'jobs',
  status: 'statuses',
  lost_situation: 'lost_situations',
}

const BOOLEAN = new Set(['lost_contact', 'mobile', 'hardship'])

/** A field's value for people: code names, 是/否, — for nothing. */
export function displayValue(field: string, value: unknown, meta: MemberMeta | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  if (BOOLEAN.has(field) || typeof value === 'boolean') return value === true || value === 'true' || value === 1 ? '是' : '否'
  const table = CODED[field]
  if (table && meta) return optionName(meta[table] as Option[], String(value))
  if (field === 'category') return value === 'full' ? '正式党员' : value === 'probationary' ? '预备党员' : String(value)
  return String(value)
}

export interface ChangeLine {
  field: string
  label: string
  from: string
  to: string
}

/**
 * The lines of a change request: 学历：大学专科 → 大学本科. The server lists them with labels
 * and display values; a map of raw values (field → {from, to}) is labelled here.
 */
export function changeLines(changes: ChangeRequest['changes'] | undefined, meta: MemberMeta | null | undefined): ChangeLine[] {
  if (!changes) return []
  if (Array.isArray(changes)) {
    return changes.map((c) => ({ field: c.field, label: c.label || fieldLabel(c.field), from: c.from || '—', to: c.to || '—' }))
  }
  return Object.entries(changes).map(([field, c]) => ({
    field,
    label: fieldLabel(field),
    from: displayValue(field, c?.from, meta),
    to: displayValue(field, c?.to, meta),
  }))
}

export type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

/** The tag colour of a 党籍状态. */
export function statusTag(status: string): TagType {
  switch (status) {
    case 'normal':
      return 'success'
    case 'suspended':
      return 'warning'
    case 'left':
      return 'danger'
    default:
      return 'info'
  }
}

/** The kinds of history entries, as the drawer groups them. */
export const HISTORY_GROUPS = [
  { key: 'post', title: '职务', kinds: ['post'] },
  { key: 'reward', title: '奖惩', kinds: ['award', 'punishment'] },
  { key: 'transfer', title: '组织关系变动', kinds: ['transfer'] },
] as const

export const HISTORY_KIND_NAMES: Record<string, string> = {
  post: '职务',
  award: '奖励',
  punishment: '惩处',
  transfer: '组织关系变动',
}

/** Where members are kept: 党支部, 联合党支部, 临时党支部, or a 党小组 (its branch's member). */
export const BRANCH_TYPES = ['branch', 'joint_branch', 'temporary_branch', 'group']

export interface JobNode {
  value: string
  label: string
  children?: JobNode[]
}

/** 工作岗位 as a tree for el-tree-select: groups (parent '') with their jobs under them. */
export function jobTree(jobs: readonly { code: string; name: string; parent: string }[] | null | undefined): JobNode[] {
  const list = jobs ?? []
  const codes = new Set(list.map((j) => j.code))
  const nodes = new Map<string, JobNode>(list.map((j) => [j.code, { value: j.code, label: j.name }]))
  const roots: JobNode[] = []
  for (const j of list) {
    const node = nodes.get(j.code)!
    const parent = j.parent && codes.has(j.parent) ? nodes.get(j.parent)! : null
    if (parent) (parent.children ??= []).push(node)
    else roots.push(node)
  }
  return roots
}

export interface EducationGroup {
  label: string
  options: { code: string; name: string }[]
}

/** 学历 grouped by the 党统 bucket, in the buckets' order; codes without a known bucket last. */
export function educationGroups(meta: MemberMeta | null | undefined): EducationGroup[] {
  if (!meta) return []
  const groups = (meta.education_buckets ?? []).map((b) => ({
    code: b.code,
    label: b.name,
    options: (meta.educations ?? []).filter((e) => e.bucket === b.code).map((e) => ({ code: e.code, name: e.name })),
  }))
  const known = new Set(groups.map((g) => g.code))
  const rest = (meta.educations ?? []).filter((e) => !known.has(e.bucket))
  const out: EducationGroup[] = groups.filter((g) => g.options.length > 0).map(({ label, options }) => ({ label, options }))
  if (rest.length) out.push({ label: '其他', options: rest.map((e) => ({ code: e.code, name: e.name })) })
  return out
}
