import { describe, expect, it } from 'vitest'
import type { Org } from '@/types'
import { orgPatch, type OrgFormValues } from '@/views/orgs/orgForm'
import { postsFor } from '@/views/orgs/posts'

const org = {
  id: 7,
  code: '430702001',
  name: '中共某社区委员会',
  short_name: '',
  type: 'committee',
  unit_type: 'community',
  division_code: '',
  established_on: null,
  units: ['某社区居委会'],
  sort_order: 0,
  version: 3,
} as unknown as Org

const formOf = (o: Org): OrgFormValues => ({
  code: o.code,
  name: o.name,
  short_name: o.short_name,
  type: o.type,
  unit_type: o.unit_type,
  division_code: o.division_code,
  established_on: o.established_on,
  units: [...(o.units ?? [])],
  sort_order: o.sort_order,
})

describe('orgPatch', () => {
  it('sends nothing when nothing changed (whitespace aside)', () => {
    const f = formOf(org)
    f.name = `  ${f.name} `
    f.units = ['某社区居委会 ', '']
    expect(orgPatch(org, f)).toEqual({})
  })

  it('sends only the changed fields, trimmed', () => {
    const f = formOf(org)
    f.short_name = ' 某社区党委 '
    f.established_on = '2018-03-01'
    f.units = ['某社区居委会', '某物业公司']
    f.sort_order = 5
    expect(orgPatch(org, f)).toEqual({
      short_name: '某社区党委',
      established_on: '2018-03-01',
      units: ['某社区居委会', '某物业公司'],
      sort_order: 5,
    })
  })

  it('clears a date with null and a division with an empty string', () => {
    const o = { ...org, established_on: '2018-03-01', division_code: '430702001001' } as Org
    const f = formOf(o)
    f.established_on = null
    f.division_code = ''
    expect(orgPatch(o, f)).toEqual({ established_on: null, division_code: '' })
  })
})

describe('postsFor', () => {
  const posts = [
    { code: 'secretary', name: '书记' },
    { code: 'member', name: '委员' },
    { code: 'group_leader', name: '党小组组长' },
  ]
  it('offers 组长 only to 党小组', () => {
    expect(postsFor('group', posts).map((p) => p.code)).toEqual(['group_leader'])
    expect(postsFor('branch', posts).map((p) => p.code)).toEqual(['secretary', 'member'])
  })
})
