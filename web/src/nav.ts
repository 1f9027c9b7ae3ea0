// The side menu, built from the caller's permissions; the router guard uses the same table.

import type { Perm } from '@/types'

export interface NavItem {
  path: string
  title: string
  /** any one of these permissions shows the item */
  perms: Perm[]
  icon: string
  testid?: string
}

export const navItems: NavItem[] = [
  { path: '/orgs', title: '组织管理', perms: ['org.read'], icon: 'OfficeBuilding', testid: 'nav-orgs' },
  { path: '/members', title: '党员管理', perms: ['org.read'], icon: 'Avatar', testid: 'nav-members' },
  { path: '/elections', title: '换届提醒', perms: ['org.read'], icon: 'AlarmClock', testid: 'nav-elections' },
  { path: '/findings', title: '规则检查', perms: ['org.read'], icon: 'Finished' },
  { path: '/dashboard', title: '统计概览', perms: ['org.read'], icon: 'DataAnalysis' },
  { path: '/member-stats', title: '党员结构统计', perms: ['org.read'], icon: 'PieChart', testid: 'nav-member-stats' },
  { path: '/users', title: '用户管理', perms: ['user.manage', 'role.grant'], icon: 'User', testid: 'nav-users' },
  { path: '/settings/security', title: '安全设置', perms: ['security.manage'], icon: 'Lock' },
  { path: '/audit', title: '审计日志', perms: ['audit.read'], icon: 'Document', testid: 'nav-audit' },
  { path: '/rules', title: '规则依据', perms: ['org.read'], icon: 'Reading' },
  // Last, so that a secretary who is also a member lands on the management pages; a member
  // (self.read only) lands here.
  { path: '/me/record', title: '我的党员信息', perms: ['self.read'], icon: 'Postcard', testid: 'nav-me-record' },
]

export function allowed(perms: readonly string[], need: readonly string[] | undefined): boolean {
  if (!need || need.length === 0) return true
  return need.some((p) => perms.includes(p))
}

export function visibleNav(perms: readonly string[]): NavItem[] {
  return navItems.filter((item) => allowed(perms, item.perms))
}

/** Where to go after login: the page asked for if the caller may see it, else the first allowed one. */
export function landingPath(perms: readonly string[], wanted?: string | null): string {
  if (wanted && wanted.startsWith('/') && !wanted.startsWith('//') && !wanted.startsWith('/login')) {
    const item = navItems.find((n) => wanted === n.path || wanted.startsWith(n.path + '/') || wanted.startsWith(n.path + '?'))
    if (!item || allowed(perms, item.perms)) return wanted
  }
  return visibleNav(perms)[0]?.path ?? '/welcome'
}
