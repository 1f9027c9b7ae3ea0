import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import LoginView from '@/views/LoginView.vue'
import { useAuthStore } from '@/stores/auth'

function setup(path = '/login') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', component: LoginView },
      { path: '/orgs/:id?', component: { template: '<div>orgs</div>' } },
      { path: '/audit', component: { template: '<div>audit</div>' } },
    ],
  })
  const pinia = createPinia()
  return { router, pinia, path }
}

async function mountLogin(path: string) {
  const { router, pinia } = setup()
  router.push(path)
  await router.isReady()
  const w = mount(LoginView, { global: { plugins: [router, pinia] }, attachTo: document.body })
  return { w, router, pinia }
}

async function fillAndSubmit(w: Awaited<ReturnType<typeof mountLogin>>['w']) {
  await w.get('[data-testid="login-username"]').setValue('admin')
  await w.get('[data-testid="login-password"]').setValue('secret')
  await w.get('[data-testid="login-submit"]').trigger('click')
  for (let i = 0; i < 5; i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
  }
}

describe('LoginView', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('shows the server detail and when a locked account unlocks', async () => {
    const until = new Date(Date.now() + 15 * 60_000)
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        new Response(JSON.stringify({ status: 423, code: 'locked', detail: '密码错误次数过多，账号已锁定', locked_until: until.toISOString() }), {
          status: 423,
        }),
      ),
    )
    const { w } = await mountLogin('/login')
    await fillAndSubmit(w)
    const err = w.get('[data-testid="login-error"]')
    expect(err.text()).toContain('密码错误次数过多，账号已锁定')
    expect(err.text()).toContain('解锁')
    expect(err.text()).toContain(String(until.getMinutes()).padStart(2, '0'))
    w.unmount()
  })

  it('logs in, keeps the CSRF token and goes to the page asked for', async () => {
    const me = { id: 1, username: 'admin', display_name: '管理员', roles: [], permissions: ['org.read'], csrf_token: 'c1', password_expired: false }
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ user: me, csrf_token: 'c2' }), { status: 200 }))
    vi.stubGlobal('fetch', fetchMock)
    const { w, router, pinia } = await mountLogin('/login?redirect=/orgs/12')
    await fillAndSubmit(w)
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/auth/login', expect.objectContaining({ method: 'POST', body: '{"username":"admin","password":"secret"}' }))
    expect(useAuthStore(pinia).csrf).toBe('c2')
    expect(router.currentRoute.value.fullPath).toBe('/orgs/12')
    w.unmount()
  })

  it('goes to the first allowed page when the one asked for is not allowed', async () => {
    const me = { id: 2, username: 'aud', display_name: '审计员', roles: [], permissions: ['audit.read'], csrf_token: 'c', password_expired: false }
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ user: me, csrf_token: 'c' }), { status: 200 })))
    const { w, router } = await mountLogin('/login?redirect=/orgs/12')
    await fillAndSubmit(w)
    expect(router.currentRoute.value.fullPath).toBe('/audit')
    w.unmount()
  })
})
