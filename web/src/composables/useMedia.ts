import { onBeforeUnmount, ref } from 'vue'

/** A reactive media query, e.g. useMedia('(max-width: 767px)'). */
export function useMedia(query: string) {
  const mql = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(query) : null
  const matches = ref(mql?.matches ?? false)
  const onChange = (e: MediaQueryListEvent) => (matches.value = e.matches)
  mql?.addEventListener('change', onChange)
  onBeforeUnmount(() => mql?.removeEventListener('change', onChange))
  return matches
}

export const MOBILE = '(max-width: 767px)'
