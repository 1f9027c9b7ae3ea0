// What a member may change in their own record (internal/member/self.go): 联系电话、家庭住址、
// 籍贯、学位、专业技术职务 and 参加工作日期 change at once; the key fields of the official record
// (姓名、公民身份号码、民族、学历、工作岗位、入党和转正日期 — 性别 and 出生日期 follow the ID
// number) go to the branch for approval. The server decides; the UI says in advance which is which.

import type { Member, SelfChangeAnswer } from '@/types'
import { fieldLabel } from '@/views/members/fields'
import { normalizePhone } from '@/utils/memberRules'
import { isMasked, normalizeIdNumber, parseIdNumber } from '@/utils/idcard'

export type SelfFieldKind = 'text' | 'textarea' | 'phone' | 'date' | 'idnumber' | 'ethnicity' | 'education' | 'job'

export interface SelfFormValues {
  phone: string
  address: string
  native_place: string
  degree: string
  tech_title: string
  work_started_on: string | null
  name: string
  id_number: string
  ethnicity: string
  education: string
  job: string
  joined_on: string | null
  full_on: string | null
}

export interface SelfField {
  field: keyof SelfFormValues
  /** needs the branch's approval (需党支部审核) */
  review: boolean
  kind: SelfFieldKind
  placeholder?: string
}

export const SELF_FIELDS: SelfField[] = [
  { field: 'phone', review: false, kind: 'phone', placeholder: '11位手机号码' },
  { field: 'address', review: false, kind: 'textarea', placeholder: '现居住地址' },
  { field: 'native_place', review: false, kind: 'text', placeholder: '如：湖南常德' },
  { field: 'degree', review: false, kind: 'text', placeholder: '如：学士' },
  { field: 'tech_title', review: false, kind: 'text', placeholder: '如：中级工程师' },
  { field: 'work_started_on', review: false, kind: 'date' },
  { field: 'name', review: true, kind: 'text' },
  { field: 'id_number', review: true, kind: 'idnumber' },
  { field: 'ethnicity', review: true, kind: 'ethnicity' },
  { field: 'education', review: true, kind: 'education' },
  { field: 'job', review: true, kind: 'job' },
  { field: 'joined_on', review: true, kind: 'date' },
  { field: 'full_on', review: true, kind: 'date' },
]

export const REVIEW_NOTE = '需党支部审核'

const DATES = new Set<keyof SelfFormValues>(['work_started_on', 'joined_on', 'full_on'])

export function selfFormOf(m: Member): SelfFormValues {
  return {
    phone: isMasked(m.phone) ? '' : (m.phone ?? ''),
    address: isMasked(m.address) ? '' : (m.address ?? ''),
    native_place: m.native_place ?? '',
    degree: m.degree ?? '',
    tech_title: m.tech_title ?? '',
    work_started_on: m.work_started_on ?? null,
    name: m.name ?? '',
    id_number: isMasked(m.id_number) ? '' : (m.id_number ?? ''),
    ethnicity: m.ethnicity ?? '',
    education: m.education ?? '',
    job: m.job ?? '',
    joined_on: m.joined_on ?? null,
    full_on: m.full_on ?? null,
  }
}

/**
 * The changed fields, as POST /me/member/changes takes them: trimmed; masked values left
 * empty are kept; an emptied date is '' (null would mean unchanged); a new ID number brings
 * the birth date and gender it carries.
 */
export function selfChanges(m: Member, f: SelfFormValues): Record<string, string> {
  const before = selfFormOf(m)
  const out: Record<string, string> = {}
  for (const { field } of SELF_FIELDS) {
    const raw = f[field]
    let now = typeof raw === 'string' ? raw.trim() : (raw ?? '')
    if (field === 'phone') now = normalizePhone(now)
    if (field === 'id_number') now = normalizeIdNumber(now)
    if ((field === 'phone' || field === 'address' || field === 'id_number') && isMasked(m[field]) && now === '') continue
    const was = before[field] ?? ''
    if (now !== was) out[field] = DATES.has(field) && !now ? '' : now
  }
  const info = out.id_number ? parseIdNumber(out.id_number) : null
  if (info) {
    if (info.birthDate !== m.birth_date) out.birth_date = info.birthDate
    if (info.gender !== m.gender) out.gender = info.gender
  }
  return out
}

/** Whether the changes include a field the branch must approve. */
export function needsReview(changes: Record<string, unknown>): boolean {
  const review = new Set<string>([...SELF_FIELDS.filter((f) => f.review).map((f) => f.field), 'birth_date', 'gender'])
  return Object.keys(changes).some((k) => review.has(k))
}

/** What the server did with a submission, in one sentence. */
export function selfAnswerMessage(a: SelfChangeAnswer): string {
  const applied = (a.applied ?? []).map(fieldLabel).join('、')
  const lines = a.request?.changes
  const pendingFields = Array.isArray(lines) ? lines.map((l) => l.label || fieldLabel(l.field)) : lines ? Object.keys(lines).map(fieldLabel) : (a.pending ?? []).map(fieldLabel)
  const pending = pendingFields.join('、')
  if (applied && pending) return `已更新：${applied}；${pending}已提交党支部审核，审核通过后生效`
  if (applied) return `已更新：${applied}`
  if (pending) return `${pending}已提交党支部审核，审核通过后生效`
  return '没有需要修改的内容'
}
