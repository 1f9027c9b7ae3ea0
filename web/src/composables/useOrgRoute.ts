import { computed, ref, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { showError } from '@/api'
import { useMetaStore } from '@/stores/meta'

/**
 * The org a page looks at, from its `:org?` route param: without one, the caller's first scope
 * root is put in the address. open() moves to another org, keeping the query (tab…).
 */
export function useOrgRoute(base: string) {
  const route = useRoute()
  const router = useRouter()
  const meta = useMetaStore()
  const orgId = computed(() => (route.params.org ? Number(route.params.org) : null))
  const noRoots = ref(false)

  watch(
    orgId,
    async (id) => {
      if (id !== null) return
      try {
        const roots = await meta.loadRoots()
        if (roots.length > 0 && orgId.value === null && route.path.startsWith(base)) {
          router.replace({ path: `${base}/${roots[0]!.id}`, query: route.query })
        } else if (roots.length === 0) {
          noRoots.value = true
        }
      } catch (e) {
        showError(e)
      }
    },
    { immediate: true },
  )

  function open(id: number) {
    if (id === orgId.value) return
    router.push({ path: `${base}/${id}`, query: route.query })
  }

  return { orgId, noRoots, open }
}
