import { reactive, ref } from 'vue'
import { ApiError, splitFieldErrors } from '@/api'

/**
 * Server-side field errors for a form: bind `errs[prop]` to each el-form-item's `error`, show
 * `rest` above the form, call clear() before submitting and apply(e, props) when it fails.
 */
export function useServerErrors() {
  const errs = reactive<Record<string, string>>({})
  const rest = ref<string[]>([])

  function clear() {
    for (const k of Object.keys(errs)) delete errs[k]
    rest.value = []
  }

  /** True when e was a 422 with field errors, now shown on the form. */
  function apply(e: unknown, known: Iterable<string> | ((prop: string) => boolean)): boolean {
    if (!(e instanceof ApiError) || e.status !== 422 || e.errors.length === 0) return false
    clear()
    const split = splitFieldErrors(e.errors, known)
    Object.assign(errs, split.fields)
    rest.value = split.rest
    return true
  }

  return reactive({ errs, rest, clear, apply })
}
