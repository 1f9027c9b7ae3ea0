import { describe, expect, it } from 'vitest'
import { landingPath, navSections, visibleNav } from '@/nav'

describe('navigation by permission', () => {
  it('builds the side menu from permissions', () => {
    expect(visibleNav(['org.read']).map((n) => n.title)).toEqual(['组织管理', '党员管理', '发展党员', '组织关系转接', '流动/失联党员', '党员数量变化', '换届提醒', '规则检查', '统计概览', '党员结构统计', '规则依据', '党费收缴', '党费汇总', '三会一课', '落实情况', '民主评议', '谈心谈话'])
    expect(visibleNav(['role.grant', 'security.manage', 'org.browse']).map((n) => n.path)).toEqual(['/users', '/settings/security'])
    expect(visibleNav(['audit.read']).map((n) => n.testid)).toEqual(['nav-audit'])
  })

  it('goes where the user asked when allowed, else to the first allowed page', () => {
    expect(landingPath(['org.read'], '/orgs/12?tab=committee')).toBe('/orgs/12?tab=committee')
    expect(landingPath(['org.read'], '/audit')).toBe('/orgs')
    expect(landingPath(['audit.read'], '/orgs/3')).toBe('/audit')
    expect(landingPath(['user.manage'], null)).toBe('/users')
    // The working-day calendar: in the menu of a system admin, and a redirect to it is kept.
    expect(visibleNav(['user.manage']).map((n) => n.path)).toEqual(['/users', '/development/settings'])
    expect(landingPath(['user.manage'], '/development/settings?tab=calendar')).toBe('/development/settings?tab=calendar')
    expect(landingPath(['user.manage'], '/development/3')).toBe('/users')
    expect(landingPath(['org.read'], '/development/settings/4')).toBe('/development/settings/4')
    expect(landingPath(['self.read'], '/orgs')).toBe('/me/record')
    expect(landingPath([], '/orgs')).toBe('/welcome')
  })

  it('lands a member on their own record, and a secretary who is also a member on the management pages', () => {
    expect(visibleNav(['self.read']).map((n) => n.path)).toEqual(['/me/record', '/me/dues'])
    expect(landingPath(['self.read'], null)).toBe('/me/record')
    expect(landingPath(['self.read'], '/me/record')).toBe('/me/record')
    expect(landingPath(['self.read'], '/members/3')).toBe('/me/record')
    expect(landingPath(['org.read', 'org.write', 'self.read'], null)).toBe('/workbench')
    expect(landingPath(['org.read', 'self.read'], '/me/record')).toBe('/me/record')
    expect(landingPath(['org.read'], '/member-stats/4')).toBe('/member-stats/4')
    expect(landingPath(['org.read'], '/development/cases/3')).toBe('/development/cases/3')
    expect(landingPath(['self.read'], '/development/7')).toBe('/me/record')
  })

  it('lands an org-admin on the workbench, a viewer on the org tree', () => {
    expect(landingPath(['org.read', 'org.write'], null)).toBe('/workbench')
    expect(landingPath(['org.read'], null)).toBe('/orgs')
    expect(landingPath(['org.read'], '/life/compliance/4?period=2026Q3')).toBe('/life/compliance/4?period=2026Q3')
    const life = navSections(visibleNav(['org.read'])).find((s) => 'group' in s && s.group === '组织生活')
    expect(life && 'items' in life ? life.items.map((i) => i.path) : []).toEqual(['/life/meetings', '/life/compliance', '/life/evaluations', '/life/talks'])
  })

  it('refuses redirects off the site or back to login', () => {
    expect(landingPath(['org.read'], '//evil.example/x')).toBe('/orgs')
    expect(landingPath(['org.read'], 'https://evil.example/')).toBe('/orgs')
    expect(landingPath(['org.read'], '/login?redirect=/x')).toBe('/orgs')
  })

  it('shows grouped items under their heading', () => {
    const sections = navSections(visibleNav(['org.read', 'self.read']))
    const dues = sections.find((s) => 'group' in s && s.group === '党费管理')
    expect(dues && 'items' in dues ? dues.items.map((i) => i.path) : []).toEqual(['/dues', '/dues-report', '/me/dues'])
    expect(sections.filter((s) => 'item' in s).map((s) => ('item' in s ? s.item.path : ''))).not.toContain('/dues')
    expect(landingPath(['org.read'], '/dues-report/7?year=2026')).toBe('/dues-report/7?year=2026')
    expect(landingPath(['self.read'], '/dues/3')).toBe('/me/record')
  })
})
