import { describe, expect, it } from 'vitest'
import { buildURL } from '@/api'
import { activeFilterCount, emptyFilters, filterQuery, listQuery, searchText, sortParam } from '@/views/members/query'

describe('roster query', () => {
  it('maps the sorted column to the server key; age runs against the birth date', () => {
    expect(sortParam('name', 'ascending')).toBe('name')
    expect(sortParam('joined_on', 'descending')).toBe('-joined_on')
    expect(sortParam('age', 'ascending')).toBe('-birth_date')
    expect(sortParam('age', 'descending')).toBe('birth_date')
    expect(sortParam('org_name', 'ascending')).toBe('org')
    expect(sortParam('name', null)).toBe('')
    expect(sortParam('phone', 'ascending')).toBe('')
  })

  it('sends only the filters in use, with true/false for the flags', () => {
    const f = { ...emptyFilters(), category: 'probationary' as const, mobile: 'true' as const, lost_contact: 'false' as const }
    expect(buildURL('/api/v1/members', listQuery(12, f, '-joined_on', 2, 20))).toBe(
      '/api/v1/members?org=12&category=probationary&mobile=true&lost_contact=false&sort=-joined_on&page=2&page_size=20',
    )
    expect(activeFilterCount(f)).toBe(3)
    expect(activeFilterCount(emptyFilters())).toBe(0)
  })

  it('cleans an ID number or phone typed into the search box, not a name', () => {
    expect(searchText(' 43070219850302123x ')).toBe('43070219850302123X')
    expect(searchText('139 0736 1234')).toBe('13907361234')
    expect(searchText(' 张 三 ')).toBe('张 三')
    expect(filterQuery(1, { ...emptyFilters(), q: '11010519491231002x' }).q).toBe('11010519491231002X')
  })
})
