// The side menu, built from the caller's permissions; the router guard uses the same table.

import type { Perm } from '@/types'

export interface NavItem {
  path: string
  title: string
  /** any one of these permissions shows the item */
  perms: Perm[]
  icon: string
  testid?: string
  /** items with a group are shown together under its heading */
  group?: string
}

export const navItems: NavItem[] = [
  // First for those who record (org.write), so that an org-admin lands on what to do next.
  { path: '/workbench', title: '工作台', perms: ['org.write'], icon: 'HomeFilled', testid: 'nav-workbench' },
  { path: '/orgs', title: '组织管理', perms: ['org.read'], icon: 'OfficeBuilding', testid: 'nav-orgs' },
  { path: '/members', title: '党员管理', perms: ['org.read'], icon: 'Avatar', testid: 'nav-members' },
  { path: '/development', title: '发展党员', perms: ['org.read'], icon: 'Promotion', group: '党员队伍', testid: 'nav-development' },
  { path: '/transfers', title: '组织关系转接', perms: ['org.read'], icon: 'Switch', group: '党员队伍', testid: 'nav-transfers' },
  { path: '/mobility', title: '流动/失联党员', perms: ['org.read'], icon: 'Position', group: '党员队伍', testid: 'nav-mobility' },
  { path: '/member-changes', title: '党员数量变化', perms: ['org.read'], icon: 'Histogram', group: '党员队伍', testid: 'nav-member-changes' },
  { path: '/elections', title: '换届提醒', perms: ['org.read'], icon: 'AlarmClock', testid: 'nav-elections' },
  { path: '/findings', title: '规则检查', perms: ['org.read'], icon: 'Finished' },
  { path: '/dashboard', title: '统计概览', perms: ['org.read'], icon: 'DataAnalysis' },
  { path: '/member-stats', title: '党员结构统计', perms: ['org.read'], icon: 'PieChart', testid: 'nav-member-stats' },
  { path: '/users', title: '用户管理', perms: ['user.manage', 'role.grant'], icon: 'User', testid: 'nav-users' },
  // The working-day calendar of 发展党员 for system administrators (who see no organisation);
  // others reach it from the 发展党员 board (发展党员设置).
  { path: '/development/settings', title: '工作日历', perms: ['user.manage'], icon: 'Calendar', testid: 'nav-dev-calendar' },
  { path: '/settings/security', title: '安全设置', perms: ['security.manage'], icon: 'Lock' },
  { path: '/audit', title: '审计日志', perms: ['audit.read'], icon: 'Document', testid: 'nav-audit' },
  { path: '/rules', title: '规则依据', perms: ['org.read'], icon: 'Reading' },
  // Last, so that a secretary who is also a member lands on the management pages; a member
  // (self.read only) lands here.
  { path: '/me/record', title: '我的党员信息', perms: ['self.read'], icon: 'Postcard', testid: 'nav-me-record' },
  // 党费管理
  { path: '/dues', title: '党费收缴', perms: ['org.read'], icon: 'Wallet', group: '党费管理', testid: 'nav-dues' },
  { path: '/dues-report', title: '党费汇总', perms: ['org.read'], icon: 'Histogram', group: '党费管理', testid: 'nav-dues-report' },
  { path: '/me/dues', title: '我的党费', perms: ['self.read'], icon: 'Wallet', group: '党费管理', testid: 'nav-me-dues' },
  // 组织生活
  { path: '/life/meetings', title: '三会一课', perms: ['org.read'], icon: 'Calendar', group: '组织生活', testid: 'nav-life-meetings' },
  { path: '/life/compliance', title: '落实情况', perms: ['org.read'], icon: 'DocumentChecked', group: '组织生活', testid: 'nav-life-compliance' },
  { path: '/life/evaluations', title: '民主评议', perms: ['org.read'], icon: 'Medal', group: '组织生活', testid: 'nav-life-evaluations' },
  { path: '/life/talks', title: '谈心谈话', perms: ['org.read'], icon: 'ChatDotRound', group: '组织生活', testid: 'nav-life-talks' },
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
    // Any item the path falls under may open it: /development/settings is under 发展党员 (org.read)
    // and is the 工作日历 of a system admin (user.manage).
    const items = navItems.filter((n) => wanted === n.path || wanted.startsWith(n.path + '/') || wanted.startsWith(n.path + '?'))
    if (items.length === 0 || items.some((n) => allowed(perms, n.perms))) return wanted
  }
  return visibleNav(perms)[0]?.path ?? '/welcome'
}

/** A menu entry: an item, or a group heading with its items (at the place of its first item). */
export type NavSection = { key: string; item: NavItem } | { key: string; group: string; items: NavItem[] }

export function navSections(items: readonly NavItem[]): NavSection[] {
  const out: NavSection[] = []
  const groups = new Map<string, NavItem[]>()
  for (const item of items) {
    if (!item.group) {
      out.push({ key: item.path, item })
      continue
    }
    let list = groups.get(item.group)
    if (!list) {
      list = []
      groups.set(item.group, list)
      out.push({ key: `group:${item.group}`, group: item.group, items: list })
    }
    list.push(item)
  }
  return out
}
