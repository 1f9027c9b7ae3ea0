// The add/edit form of a member: its values, the body of POST /members, and the PATCH of only
// what changed. The ID number, phone and address arrive masked; on edit they start empty
// (“留空表示不修改”) unless the record was revealed, and are sent only when typed anew.

import type { Member, MemberInput } from '@/types'
import { isMasked, normalizeIdNumber, parseIdNumber } from '@/utils/idcard'
import { normalizePhone } from '@/utils/memberRules'

export type MemberFormValues = MemberInput

export const PII_FIELDS = ['id_number', 'phone', 'address'] as const
type PiiField = (typeof PII_FIELDS)[number]

export const FORM_FIELDS: (keyof MemberFormValues)[] = [
  'org_id',
  'name',
  'gender',
  'id_number',
  'ethnicity',
  'birth_date',
  'education',
  'joined_on',
  'full_on',
  'job',
  'phone',
  'address',
  'lost_contact',
  'lost_on',
  'lost_situation',
  'mobile',
  'mobile_to',
  'native_place',
  'degree',
  'tech_title',
  'party_post',
  'work_started_on',
  'hardship',
  'introducers',
]

export function emptyMemberForm(orgId: number | null = null): MemberFormValues {
  return {
    org_id: orgId,
    name: '',
    gender: '',
    id_number: '',
    ethnicity: '01',
    birth_date: null,
    education: '',
    joined_on: null,
    full_on: null,
    job: '',
    phone: '',
    address: '',
    lost_contact: false,
    lost_on: null,
    lost_situation: '',
    mobile: false,
    mobile_to: '',
    native_place: '',
    degree: '',
    tech_title: '',
    party_post: '',
    work_started_on: null,
    hardship: false,
    introducers: '',
  }
}

/** The edit form of a loaded member; masked personal data starts empty. */
export function memberFormOf(m: Member): MemberFormValues {
  const f = emptyMemberForm(m.org_id)
  for (const k of FORM_FIELDS) {
    const v = (m as unknown as Record<string, unknown>)[k]
    if (v !== undefined) (f as unknown as Record<string, unknown>)[k] = v ?? (typeof f[k] === 'string' ? '' : null)
  }
  for (const k of PII_FIELDS) {
    if (!m.revealed || isMasked(m[k])) f[k] = ''
  }
  return f
}

function clean(f: MemberFormValues): MemberFormValues {
  const out = { ...f }
  for (const k of FORM_FIELDS) {
    const v = out[k]
    if (typeof v === 'string') (out as unknown as Record<string, unknown>)[k] = v.trim()
  }
  out.id_number = normalizeIdNumber(out.id_number)
  out.phone = normalizePhone(out.phone)
  for (const k of ['birth_date', 'joined_on', 'full_on', 'lost_on', 'work_started_on'] as const) out[k] = out[k] || null
  if (!out.lost_contact) {
    out.lost_on = null
    out.lost_situation = ''
  }
  if (!out.mobile) out.mobile_to = ''
  // A valid ID number decides the birth date and the gender (the server derives them the same way).
  const info = parseIdNumber(out.id_number)
  if (info) {
    out.birth_date = info.birthDate
    out.gender = info.gender
  }
  return out
}

/** The body of POST /members. */
export function memberCreateBody(f: MemberFormValues): MemberInput {
  return clean(f)
}

const DATE_FIELDS = new Set(['birth_date', 'joined_on', 'full_on', 'lost_on', 'work_started_on'])

/**
 * The fields that differ from the member as loaded, for PATCH (version added by the caller).
 * PATCH reads null as “unchanged”: an emptied date is sent as '', which clears it.
 */
export function memberPatch(m: Member, f: MemberFormValues): Record<string, unknown> {
  const c = clean(f)
  const before = clean(memberFormOf(m))
  const out: Record<string, unknown> = {}
  for (const k of FORM_FIELDS) {
    if (k === 'org_id') continue // moving is its own action (批量调整支部)
    const now = c[k]
    if ((PII_FIELDS as readonly string[]).includes(k)) {
      const typed = now as string
      // Left empty: keep what is stored. Typed: send when it is not what was shown.
      if (typed && typed !== (m.revealed ? m[k as PiiField] : '')) out[k] = typed
      continue
    }
    const was = before[k] ?? (typeof now === 'string' ? '' : null)
    if (now !== was) out[k] = now === null && DATE_FIELDS.has(k) ? '' : now
  }
  return out
}
