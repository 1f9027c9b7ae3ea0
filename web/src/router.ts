import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useAuthStore } from '@/stores/auth'
import { allowed, landingPath } from '@/nav'
import type { Perm } from '@/types'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    public?: boolean
    perms?: Perm[]
  }
}

export const APP_TITLE = '基层党建综合管理平台'

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true, title: '登录' } },
  {
    path: '/',
    component: () => import('@/layouts/MainLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('@/views/WelcomeView.vue'), meta: {} },
      { path: 'welcome', name: 'welcome', component: () => import('@/views/WelcomeView.vue'), meta: { title: '首页' } },
      { path: 'orgs/:id(\\d+)?', name: 'orgs', component: () => import('@/views/orgs/OrgsView.vue'), meta: { title: '组织管理', perms: ['org.read'] } },
      { path: 'members/:org(\\d+)?', name: 'members', component: () => import('@/views/members/MembersView.vue'), meta: { title: '党员管理', perms: ['org.read'] } },
      { path: 'development/:org(\\d+)?', name: 'development', component: () => import('@/views/development/DevelopmentView.vue'), meta: { title: '发展党员', perms: ['org.read'] } },
      { path: 'development/settings/:org(\\d+)?', name: 'development-settings', component: () => import('@/views/development/DevSettingsView.vue'), meta: { title: '发展党员设置', perms: ['org.read', 'user.manage'] } },
      { path: 'development/cases/:id(\\d+)', name: 'development-case', component: () => import('@/views/development/CaseView.vue'), meta: { title: '发展党员档案', perms: ['org.read'] } },
      { path: 'member-changes/:org(\\d+)?', name: 'member-changes', component: () => import('@/views/standing/MemberChangesView.vue'), meta: { title: '党员数量变化', perms: ['org.read'] } },
      { path: 'transfers', name: 'transfers', component: () => import('@/views/transfers/TransfersView.vue'), meta: { title: '组织关系转接', perms: ['org.read'] } },
      { path: 'mobility', name: 'mobility', component: () => import('@/views/mobility/MobilityView.vue'), meta: { title: '流动和失联党员', perms: ['org.read'] } },
      { path: 'member-stats/:org(\\d+)?', name: 'member-stats', component: () => import('@/views/members/MemberStatsView.vue'), meta: { title: '党员结构统计', perms: ['org.read'] } },
      { path: 'me/record', name: 'my-record', component: () => import('@/views/me/MyRecordView.vue'), meta: { title: '我的党员信息', perms: ['self.read'] } },
      { path: 'elections', name: 'elections', component: () => import('@/views/ElectionsView.vue'), meta: { title: '换届提醒', perms: ['org.read'] } },
      { path: 'findings', name: 'findings', component: () => import('@/views/FindingsView.vue'), meta: { title: '规则检查', perms: ['org.read'] } },
      { path: 'dashboard', name: 'dashboard', component: () => import('@/views/DashboardView.vue'), meta: { title: '统计概览', perms: ['org.read'] } },
      { path: 'users', name: 'users', component: () => import('@/views/UsersView.vue'), meta: { title: '用户管理', perms: ['user.manage', 'role.grant'] } },
      { path: 'settings/security', name: 'security', component: () => import('@/views/SecurityView.vue'), meta: { title: '安全设置', perms: ['security.manage'] } },
      { path: 'audit', name: 'audit', component: () => import('@/views/AuditView.vue'), meta: { title: '审计日志', perms: ['audit.read'] } },
      { path: 'rules', name: 'rules', component: () => import('@/views/RulesView.vue'), meta: { title: '规则依据', perms: ['org.read'] } },
      { path: 'dues/:org(\\d+)?', name: 'dues', component: () => import('@/views/dues/DuesView.vue'), meta: { title: '党费收缴', perms: ['org.read'] } },
      { path: 'dues-report/:org(\\d+)?', name: 'dues-report', component: () => import('@/views/dues/DuesReportView.vue'), meta: { title: '党费汇总', perms: ['org.read'] } },
      { path: 'me/dues', name: 'my-dues', component: () => import('@/views/dues/MyDuesView.vue'), meta: { title: '我的党费', perms: ['self.read'] } },
      { path: 'workbench', name: 'workbench', component: () => import('@/views/life/WorkbenchView.vue'), meta: { title: '工作台', perms: ['org.write'] } },
      { path: 'life/meetings/:org(\\d+)?', name: 'life-meetings', component: () => import('@/views/life/MeetingsView.vue'), meta: { title: '三会一课', perms: ['org.read'] } },
      { path: 'life/compliance/:org(\\d+)?', name: 'life-compliance', component: () => import('@/views/life/ComplianceView.vue'), meta: { title: '组织生活落实情况', perms: ['org.read'] } },
      { path: 'life/evaluations', name: 'life-evaluations', component: () => import('@/views/life/EvaluationsView.vue'), meta: { title: '民主评议党员', perms: ['org.read'] } },
      { path: 'life/talks', name: 'life-talks', component: () => import('@/views/life/TalksView.vue'), meta: { title: '谈心谈话', perms: ['org.read'] } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue'), meta: { title: '页面不存在' } },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
})

router.beforeEach(async (to) => {
  const auth = useAuthStore()
  try {
    await auth.fetchMe()
  } catch {
    // The server could not be reached; the login page will say so when the user tries.
  }
  const perms = auth.permissions
  if (to.meta.public) {
    if (auth.user && to.name === 'login') {
      return landingPath(perms, typeof to.query.redirect === 'string' ? to.query.redirect : null)
    }
    return true
  }
  if (!auth.user) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (to.name === 'home') return landingPath(perms)
  if (!allowed(perms, to.meta.perms)) return landingPath(perms)
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - ${APP_TITLE}` : APP_TITLE
})

// A new build replaced the chunks this page knew: load the page afresh.
router.onError((err, to) => {
  if (/Failed to fetch dynamically imported module|Importing a module script failed/.test(String(err?.message))) {
    window.location.assign(to.fullPath)
  }
})
