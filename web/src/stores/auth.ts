import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, ApiError } from '@/api'
import type { LoginAnswer, Me, Perm } from '@/types'

export const useAuthStore = defineStore('auth', () => {
  const user = ref<Me | null>(null)
  const csrf = ref('')
  /** /me was asked once since the page loaded (or the user logged in/out). */
  const loaded = ref(false)
  /** Why the user is back at the login page (登录已超时…), for the login page to say. */
  const notice = ref('')
  let pending: Promise<Me | null> | null = null

  const permissions = computed<string[]>(() => user.value?.permissions ?? [])
  const can = (...perms: Perm[]) => perms.some((p) => permissions.value.includes(p))

  /** A short line under the name: the first role and the node it is granted on. */
  const roleLine = computed(() => {
    const roles = user.value?.roles ?? []
    if (roles.length === 0) return ''
    const first = roles[0]!
    const text = first.org_name ? `${first.role_name} · ${first.org_name}` : first.role_name
    return roles.length > 1 ? `${text} 等${roles.length}个角色` : text
  })

  function set(me: Me | null, token?: string) {
    user.value = me
    csrf.value = token ?? me?.csrf_token ?? ''
    loaded.value = true
  }

  /** Asks the server who is logged in, once; later calls share the answer. */
  function fetchMe(force = false): Promise<Me | null> {
    if (loaded.value && !force) return Promise.resolve(user.value)
    if (pending) return pending
    pending = api
      .get<Me>('/api/v1/me', undefined, { auth: false })
      .then((me) => {
        set(me)
        return me
      })
      .catch((e) => {
        if (e instanceof ApiError && e.status === 401) {
          if (e.code === 'session_expired') notice.value = '登录已超时，请重新登录'
          set(null)
          return null
        }
        throw e
      })
      .finally(() => {
        pending = null
      })
    return pending
  }

  async function login(username: string, password: string): Promise<Me> {
    const ans = await api.post<LoginAnswer>('/api/v1/auth/login', { username, password }, { auth: false })
    set(ans.user, ans.csrf_token || ans.user.csrf_token)
    notice.value = ''
    return ans.user
  }

  async function logout() {
    try {
      await api.post('/api/v1/auth/logout', undefined, { auth: false })
    } finally {
      clear()
    }
  }

  /** Forgets the session locally (after logout or a 401). */
  function clear() {
    set(null)
  }

  function passwordChanged() {
    if (user.value) user.value = { ...user.value, password_expired: false }
  }

  return { user, csrf, loaded, notice, permissions, can, roleLine, fetchMe, login, logout, clear, passwordChanged }
})
