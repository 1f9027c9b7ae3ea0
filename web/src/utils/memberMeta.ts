// GET /members/meta turned into the flat code lists the pages use. In the main chunk (the meta
// store loads it), so it stays small.

import type { CodeTable, MemberMeta, MemberMetaAnswer, Option } from '@/types'

/**
 * The 党内统计 学历 bucket (1–6) of a GB/T 4658 code, as the server maps it: 1x 研究生,
 * 2x 大学本科, 3x 大学专科, 40–43 中专, 44–69 高中、中技, 70–99 初中及以下.
 */
export function educationBucket(code: string): string {
  if (!/^\d\d/.test(code)) return ''
  const n = Number(code.slice(0, 2))
  if (n >= 10 && n <= 19) return '1'
  if (n >= 20 && n <= 29) return '2'
  if (n >= 30 && n <= 39) return '3'
  if (n >= 40 && n <= 43) return '4'
  if (n >= 44 && n <= 69) return '5'
  if (n >= 70 && n <= 99) return '6'
  return ''
}

const opt = (list: readonly { code: string; name: string }[] | null | undefined): Option[] => (list ?? []).map((o) => ({ code: o.code, name: o.name }))

/** The code tables of GET /members/meta as flat lists; the first contract's shape passes through. */
export function normalizeMemberMeta(a: MemberMetaAnswer): MemberMeta {
  const tables = new Map<string, CodeTable>((a.tables ?? []).map((t) => [t.kind, t]))
  const items = (kind: string) => [...(tables.get(kind)?.items ?? [])].sort((x, y) => (x.sort ?? 0) - (y.sort ?? 0))
  const sources: Record<string, string> = {}
  for (const t of tables.values()) sources[t.kind] = t.source
  const has = tables.size > 0
  return {
    genders: has ? opt(items('gender')) : (a.genders ?? []),
    ethnicities: has ? opt(items('ethnicity')) : (a.ethnicities ?? []),
    educations: has
      ? items('education').map((e) => ({ code: e.code, name: e.name, bucket: educationBucket(e.code) }))
      : (a.educations ?? []),
    education_buckets: has ? opt(items('education_stats')) : (a.education_buckets ?? []),
    jobs: has ? items('job').map((j) => ({ code: j.code, name: j.name, parent: j.parent ?? '' })) : (a.jobs ?? []),
    statuses: has ? opt(items('status')) : (a.statuses ?? []),
    lost_situations: has ? opt(items('lost_situation')) : (a.lost_situations ?? []),
    age_bands: opt(a.age_bands),
    sources,
  }
}

