import type { Option } from '@/types'

/** Posts offered for an organisation type: 党小组 have only a 组长, others never do. */
export function postsFor(orgType: string, posts: Option[]): Option[] {
  if (orgType === 'group') return posts.filter((p) => p.code === 'group_leader')
  return posts.filter((p) => p.code !== 'group_leader')
}

export function defaultPost(orgType: string): string {
  return orgType === 'group' ? 'group_leader' : 'secretary'
}
