import type { Org } from '@/types'

export interface OrgFormValues {
  code: string
  name: string
  short_name: string
  type: string
  unit_type: string
  division_code: string
  established_on: string | null
  units: string[]
  sort_order: number
}

export type OrgPatch = Partial<Omit<OrgFormValues, 'established_on'>> & { established_on?: string | null }

/**
 * The fields of the edit form that differ from the org as loaded, trimmed, for PATCH (which
 * leaves absent fields as they are). An emptied date is sent as null.
 */
export function orgPatch(org: Org, form: OrgFormValues): OrgPatch {
  const out: OrgPatch = {}
  const text = (k: 'code' | 'name' | 'short_name' | 'type' | 'unit_type' | 'division_code') => {
    const v = (form[k] ?? '').trim()
    if (v !== (org[k] ?? '')) out[k] = v
  }
  text('code')
  text('name')
  text('short_name')
  text('type')
  text('unit_type')
  text('division_code')
  const date = form.established_on || null
  if (date !== (org.established_on || null)) out.established_on = date
  const units = form.units.map((u) => u.trim()).filter(Boolean)
  const before = org.units ?? []
  if (units.length !== before.length || units.some((u, i) => u !== before[i])) out.units = units
  if ((form.sort_order ?? 0) !== (org.sort_order ?? 0)) out.sort_order = form.sort_order ?? 0
  return out
}
