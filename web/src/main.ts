import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router'
import { configureApi } from './api'
import { useAuthStore } from './stores/auth'
import { useMetaStore } from './stores/meta'
import './styles.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(router)

const auth = useAuthStore(pinia)
let redirecting = false
configureApi({
  csrfToken: () => auth.csrf,
  notifyError: (message) => ElMessage({ type: 'error', message, grouping: true, showClose: true, duration: 5000 }),
  onUnauthorized: (err) => {
    auth.clear()
    useMetaStore(pinia).reset()
    if (redirecting || router.currentRoute.value.name === 'login') return
    redirecting = true
    ElMessage({
      type: 'warning',
      grouping: true,
      message: err.code === 'session_expired' ? '登录已超时，请重新登录' : '登录状态已失效，请重新登录',
    })
    const here = router.currentRoute.value.fullPath
    router.push({ name: 'login', query: here && here !== '/' ? { redirect: here } : {} }).finally(() => {
      redirecting = false
    })
  },
})

app.mount('#app')
