// The roster's search, filters and sort as the query of GET /members (and of the export).

import type { Query } from '@/api'
import { normalizeIdNumber } from '@/utils/idcard'
import { normalizePhone } from '@/utils/memberRules'

export type YesNo = '' | 'true' | 'false'

export interface MemberFilters {
  q: string
  category: '' | 'full' | 'probationary'
  status: string
  age_band: string
  education: string
  gender: string
  mobile: YesNo
  lost_contact: YesNo
}

export const emptyFilters = (): MemberFilters => ({
  q: '',
  category: '',
  status: '',
  age_band: '',
  education: '',
  gender: '',
  mobile: '',
  lost_contact: '',
})

/** The filters in use (the search box aside), for the 重置 link and the phone's 筛选 badge. */
export function activeFilterCount(f: MemberFilters): number {
  return (['category', 'status', 'age_band', 'education', 'gender', 'mobile', 'lost_contact'] as const).filter((k) => f[k] !== '').length
}

export type SortOrder = 'ascending' | 'descending' | null

/**
 * The server's sort key for a sorted table column. Age runs against the birth date: youngest
 * first is the latest birth date first.
 */
export function sortParam(prop: string | null | undefined, order: SortOrder): string {
  if (!prop || !order) return ''
  const asc = order === 'ascending'
  switch (prop) {
    case 'name':
      return asc ? 'name' : '-name'
    case 'age':
      return asc ? '-birth_date' : 'birth_date'
    case 'joined_on':
      return asc ? 'joined_on' : '-joined_on'
    case 'org_name':
      return asc ? 'org' : '-org'
  }
  return ''
}

/**
 * The search text as sent: a name as typed; an ID number or phone (which the server matches
 * exactly) without spaces, full-width digits or a lower-case x.
 */
export function searchText(q: string): string {
  const t = q.trim()
  const id = normalizeIdNumber(t)
  if (/^\d{17}[\dX]$/.test(id)) return id
  const phone = normalizePhone(t)
  if (/^\d[\d-]{6,}$/.test(phone)) return phone
  return t
}

/** The list filters of the roster (without paging): for the list and for the export. */
export function filterQuery(org: number | null, f: MemberFilters, sort = ''): Query {
  return {
    org: org ?? undefined,
    q: searchText(f.q),
    category: f.category,
    status: f.status,
    age_band: f.age_band,
    education: f.education,
    gender: f.gender,
    mobile: f.mobile,
    lost_contact: f.lost_contact,
    sort,
  }
}

export function listQuery(org: number | null, f: MemberFilters, sort: string, page: number, pageSize: number): Query {
  return { ...filterQuery(org, f, sort), page, page_size: pageSize }
}
