import { describe, expect, it } from 'vitest'
import { destinationLine, monthLabel, transferTag } from '@/api/transfer'
import { landingPath, visibleNav } from '@/nav'

describe('组织关系转接', () => {
  it('shows an overdue letter as 逾期 before its status', () => {
    expect(transferTag({ status: 'pending', overdue: true }).label).toBe('逾期')
    expect(transferTag({ status: 'pending', overdue: false }).label).toBe('办理中')
    expect(transferTag({ status: 'accepted', overdue: false }).label).toBe('已办结')
    expect(transferTag({ status: 'returned', overdue: false }).label).toBe('已退回')
    expect(transferTag({ status: 'withdrawn', overdue: false }).label).toBe('已撤回')
  })

  it('writes 党费交至 as a Chinese month, and says when there is no record', () => {
    expect(monthLabel('2026-06')).toBe('2026年6月')
    expect(monthLabel('2026-11')).toBe('2026年11月')
    expect(monthLabel('')).toBe('无记录')
    expect(monthLabel(null)).toBe('无记录')
  })

  it('names a destination with the organisations above it', () => {
    expect(destinationLine({ name: '中共某乡某社区支部委员会', path: ['中共某市委员会', '中共鼎城区委员会'] })).toBe('中共某乡某社区支部委员会（中共某市委员会 › 中共鼎城区委员会）')
    expect(destinationLine({ name: '中共某支部委员会', path: [] })).toBe('中共某支部委员会')
  })

  it('puts the page in the menu for readers, not for members', () => {
    expect(visibleNav(['org.read']).some((n) => n.path === '/transfers')).toBe(true)
    expect(visibleNav(['self.read']).some((n) => n.path === '/transfers')).toBe(false)
    expect(landingPath(['org.read', 'org.write'], '/transfers?box=in')).toBe('/transfers?box=in')
  })
})
