import { ref } from 'vue'
import { showError } from '@/api'
import { useMetaStore } from '@/stores/meta'

/** The subtree a report looks at: the caller's first scope root until another node is picked. */
export function useScope() {
  const meta = useMetaStore()
  const under = ref<number | null>(null)
  const label = ref('')
  const ready = ref(false)
  const empty = ref(false)

  async function init(): Promise<void> {
    try {
      const roots = await meta.loadRoots()
      if (roots.length > 0) {
        under.value = roots[0]!.id
        label.value = roots[0]!.name
      } else {
        empty.value = true
      }
    } catch (e) {
      showError(e)
    } finally {
      ready.value = true
    }
  }

  return { under, label, ready, empty, init }
}
