import type { Org } from '@/types'

/** What an action on the org page changed, so the tree can follow. */
export type OrgChange =
  | { kind: 'create'; org: Org }
  | { kind: 'edit'; org: Org }
  | { kind: 'move'; org: Org; oldParentId: number | null }
  | { kind: 'dissolve'; org: Org }
  | { kind: 'restore'; org: Org }
  | { kind: 'delete'; org: Org }
