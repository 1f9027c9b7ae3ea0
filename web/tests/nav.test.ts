import { describe, expect, it } from 'vitest'
import { landingPath, visibleNav } from '@/nav'

describe('navigation by permission', () => {
  it('builds the side menu from permissions', () => {
    expect(visibleNav(['org.read']).map((n) => n.title)).toEqual(['组织管理', '党员管理', '换届提醒', '规则检查', '统计概览', '党员结构统计', '规则依据'])
    expect(visibleNav(['role.grant', 'security.manage', 'org.browse']).map((n) => n.path)).toEqual(['/users', '/settings/security'])
    expect(visibleNav(['audit.read']).map((n) => n.testid)).toEqual(['nav-audit'])
  })

  it('goes where the user asked when allowed, else to the first allowed page', () => {
    expect(landingPath(['org.read'], '/orgs/12?tab=committee')).toBe('/orgs/12?tab=committee')
    expect(landingPath(['org.read'], '/audit')).toBe('/orgs')
    expect(landingPath(['audit.read'], '/orgs/3')).toBe('/audit')
    expect(landingPath(['user.manage'], null)).toBe('/users')
    expect(landingPath(['self.read'], '/orgs')).toBe('/me/record')
    expect(landingPath([], '/orgs')).toBe('/welcome')
  })

  it('lands a member on their own record, and a secretary who is also a member on the management pages', () => {
    expect(visibleNav(['self.read']).map((n) => n.path)).toEqual(['/me/record'])
    expect(landingPath(['self.read'], null)).toBe('/me/record')
    expect(landingPath(['self.read'], '/me/record')).toBe('/me/record')
    expect(landingPath(['self.read'], '/members/3')).toBe('/me/record')
    expect(landingPath(['org.read', 'org.write', 'self.read'], null)).toBe('/orgs')
    expect(landingPath(['org.read', 'self.read'], '/me/record')).toBe('/me/record')
    expect(landingPath(['org.read'], '/member-stats/4')).toBe('/member-stats/4')
  })

  it('refuses redirects off the site or back to login', () => {
    expect(landingPath(['org.read'], '//evil.example/x')).toBe('/orgs')
    expect(landingPath(['org.read'], 'https://evil.example/')).toBe('/orgs')
    expect(landingPath(['org.read'], '/login?redirect=/x')).toBe('/orgs')
  })
})
