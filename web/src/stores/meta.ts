import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, memberApi } from '@/api'
import type { MemberMeta, Option, OrgMeta, TreeNode } from '@/types'
import { normalizeMemberMeta } from '@/utils/memberMeta'

/** Reference data shared by the pages: org meta (types, unit types, posts), the member code tables, and the caller's scope roots. */
export const useMetaStore = defineStore('meta', () => {
  const meta = ref<OrgMeta | null>(null)
  const roots = ref<TreeNode[] | null>(null)
  let metaPending: Promise<OrgMeta> | null = null
  let rootsPending: Promise<TreeNode[]> | null = null
  const memberMeta = ref<MemberMeta | null>(null)
  let memberMetaPending: Promise<MemberMeta> | null = null

  /** The member code tables (性别, 民族, 学历, 工作岗位, 党籍状态…), asked once. */
  function loadMemberMeta(): Promise<MemberMeta> {
    if (memberMeta.value) return Promise.resolve(memberMeta.value)
    memberMetaPending ??= memberApi
      .meta()
      .then((m) => (memberMeta.value = normalizeMemberMeta(m)))
      .finally(() => (memberMetaPending = null))
    return memberMetaPending
  }

  function loadMeta(): Promise<OrgMeta> {
    if (meta.value) return Promise.resolve(meta.value)
    metaPending ??= api
      .get<OrgMeta>('/api/v1/orgs/meta')
      .then((m) => (meta.value = m))
      .finally(() => (metaPending = null))
    return metaPending
  }

  function loadRoots(force = false): Promise<TreeNode[]> {
    if (roots.value && !force) return Promise.resolve(roots.value)
    rootsPending ??= api
      .get<{ nodes: TreeNode[] | null }>('/api/v1/orgs/tree')
      .then((r) => (roots.value = r.nodes ?? []))
      .finally(() => (rootsPending = null))
    return rootsPending
  }

  const types = computed<Option[]>(() => meta.value?.types ?? [])
  const unitTypes = computed<Option[]>(() => meta.value?.unit_types ?? [])
  const posts = computed<Option[]>(() => meta.value?.posts ?? [])

  function allowedChildren(type: string | undefined): string[] {
    if (!type) return []
    return meta.value?.types.find((t) => t.code === type)?.allowed_children ?? []
  }

  function typeName(code: string): string {
    return meta.value?.types.find((t) => t.code === code)?.name ?? code
  }

  function reset() {
    roots.value = null
  }

  return { meta, roots, memberMeta, loadMeta, loadRoots, loadMemberMeta, types, unitTypes, posts, allowedChildren, typeName, reset }
})
