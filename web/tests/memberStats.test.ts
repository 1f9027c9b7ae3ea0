import { describe, expect, it } from 'vitest'
import type { MemberStats } from '@/types'
import { countRows, hasData, kpis, share } from '@/views/members/stats'

const stats = {
  org_id: 1,
  total: 240,
  full: 228,
  probationary: 12,
  female: 77,
  minority: 5,
  under_35: 39,
  mobile: 8,
  lost_contact: 1,
  suspended: 0,
  age_bands: [
    { code: '-30', name: '30岁及以下', count: 20 },
    { code: '31-35', name: '31至35岁', count: 19 },
    { code: '61-', name: '61岁及以上', count: 201 },
  ],
  education: [],
  occupation: null,
  joined_period: [{ code: 'x', name: '党的十八大以来', count: 0 }],
} as unknown as MemberStats

describe('member statistics', () => {
  it('computes shares with one decimal', () => {
    expect(share(77, 240)).toBe('32.1%')
    expect(share(0, 240)).toBe('0.0%')
    expect(share(1, 3)).toBe('33.3%')
    expect(share(5, 0)).toBe('—')
  })

  it('builds the eight cards with shares of the total', () => {
    const cards = kpis(stats)
    expect(cards.map((c) => c.label)).toEqual(['党员总数', '正式党员', '预备党员', '女党员', '少数民族党员', '35岁及以下', '流动党员', '失联党员'])
    expect(cards[0]).toEqual({ key: 'total', label: '党员总数', value: 240 })
    expect(cards.find((c) => c.key === 'female')?.share).toBe('32.1%')
    expect(cards.find((c) => c.key === 'lost_contact')?.cls).toBe('warn')
    expect(kpis(null)[3]).toMatchObject({ value: '—', share: undefined })
  })

  it('turns a figure into table rows in the server order', () => {
    expect(countRows(stats.age_bands, stats.total)).toEqual([
      { code: '-30', name: '30岁及以下', count: 20, share: '8.3%' },
      { code: '31-35', name: '31至35岁', count: 19, share: '7.9%' },
      { code: '61-', name: '61岁及以上', count: 201, share: '83.8%' },
    ])
    expect(countRows(null)).toEqual([])
    expect(hasData(stats.age_bands)).toBe(true)
    expect(hasData(stats.joined_period)).toBe(false)
    expect(hasData(stats.occupation)).toBe(false)
  })
})
