import { describe, expect, it } from 'vitest'
import { byLevel, daysLeftText, daysUntil, electionState, fmtUnlockAt, isFuture, memberCount, termState, today } from '@/utils/format'

describe('days left', () => {
  it('says overdue for negative numbers', () => {
    expect(daysLeftText(-30)).toBe('已超期 30 天')
    expect(daysLeftText(0)).toBe('今天到期')
    expect(daysLeftText(12)).toBe('剩余 12 天')
    expect(daysLeftText(null)).toBe('—')
  })

  it('counts calendar days to a date, across month ends and DST-free', () => {
    const now = new Date(2025, 0, 31, 23, 30) // local time, late evening
    expect(daysUntil('2025-02-01', now)).toBe(1)
    expect(daysUntil('2025-01-31', now)).toBe(0)
    expect(daysUntil('2024-01-31', now)).toBe(-366)
    expect(daysUntil(null, now)).toBeNull()
    expect(daysUntil('bad', now)).toBeNull()
  })
})

describe('states', () => {
  it('labels election and term states with tag colours', () => {
    expect(electionState('overdue')).toEqual({ label: '已超期', type: 'danger' })
    expect(electionState('due_soon')).toEqual({ label: '即将到期', type: 'warning' })
    expect(electionState('missing').label).toBe('未录入班子')
    expect(termState('current')).toEqual({ label: '正常', type: 'success' })
    expect(termState('ended').label).toBe('已换届')
    expect(termState('weird').label).toBe('weird')
  })

  it('orders findings block, warn, info and keeps ties in order', () => {
    const f = [
      { level: 'info', id: 1 },
      { level: 'warn', id: 2 },
      { level: 'block', id: 3 },
      { level: 'warn', id: 4 },
    ]
    expect(byLevel(f).map((x) => x.id)).toEqual([3, 2, 4, 1])
  })
})

describe('dates and counts', () => {
  it('shows when a lock ends', () => {
    const now = new Date(2025, 5, 1, 10, 0)
    expect(fmtUnlockAt(new Date(2025, 5, 1, 10, 15).toISOString(), now)).toBe('今天 10:15')
    expect(fmtUnlockAt(new Date(2025, 5, 2, 9, 5).toISOString(), now)).toBe('2025-06-02 09:05')
  })

  it('knows whether a lock is still on', () => {
    const now = new Date('2025-06-01T10:00:00Z')
    expect(isFuture('2025-06-01T10:00:01Z', now)).toBe(true)
    expect(isFuture('2025-06-01T09:59:59Z', now)).toBe(false)
    expect(isFuture(null, now)).toBe(false)
  })

  it('formats today and member counts', () => {
    expect(today(new Date(2025, 2, 5))).toBe('2025-03-05')
    expect(memberCount(null)).toBe('待党员数据')
    expect(memberCount(0)).toBe('0 人')
  })
})
