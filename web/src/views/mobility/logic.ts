// Pure helpers of the 流动/失联 page: the breakdown lines of the 党内统计 tables, the wording of
// how long a member has been away or lost, where a proposal is carried out, and the server's
// refusals (rule + source) as the dialogs show them. The server checks everything again.

import { ApiError } from '@/api'
import type { Code, LossList, OutingList, Proposal } from '@/api/mobility'

/** 3年2个月 / 5个月 / 不满1个月 */
export function monthsText(months: number): string {
  if (!months || months < 1) return '不满1个月'
  const y = Math.floor(months / 12)
  const m = months % 12
  return (y ? `${y}年` : '') + (m ? `${m}个月` : '')
}

/** The 流出 breakdown line: 跨省 3 人、省内跨市 1 人 … 持活动证 2 人 */
export function outingSummaryText(s: OutingList['summary'] | null | undefined, scopes: Code[]): string {
  if (!s) return ''
  const parts = scopes.filter((c) => (s.by_scope[c.code] ?? 0) > 0).map((c) => `${shortScope(c.name)} ${s.by_scope[c.code]} 人`)
  return [`共 ${s.total} 人`, ...parts, `持《流动党员活动证》${s.with_card} 人`, `外出6个月以上 ${s.over_6m} 人`].join('，')
}

/** 跨省（区、市）流动 → 跨省 */
export function shortScope(name: string): string {
  return name.replace(/（[^）]*）/g, '').replace(/流动$/, '')
}

/** The 失联 breakdown by 失联时长 (table 43 bands, then the months before 6). */
export function lossBands(s: LossList['summary'] | null | undefined, bands: Code[]): { code: string; name: string; n: number }[] {
  if (!s) return []
  return bands.map((b) => ({ code: b.code, name: b.name, n: s.by_band[b.code] ?? 0 }))
}

export interface ProposalLink {
  /** the page to open (the member's record in the roster) */
  to: string
  /** what the button says */
  label: string
  /** what happens there, for the tooltip */
  hint: string
}

/** Where a proposal is carried out: the member's record, with the procedure to use there. */
export function proposalLink(p: Pick<Proposal, 'kind' | 'member' | 'action'>): ProposalLink {
  const to = `/members?member=${p.member.id}`
  switch (p.kind) {
    case 'transfer':
      return { to, label: '办理转接', hint: '在组织关系转接中为该党员开具转出（' + p.action.path + '）' }
    case 'suspend':
      return { to, label: '办理停止党籍', hint: '在党员档案的党籍变动中办理“停止党籍”（' + p.action.path + '，suspend）' }
    default:
      return { to, label: '办理除名', hint: '在党员档案的党籍变动中办理“自行脱党除名”（' + p.action.path + '，lapse）' }
  }
}

export interface Refusal {
  rule: string
  message: string
  source: string
  field: string
}

/** A refusal naming a rule (422 or 409 rule_violation), null for anything else. */
export function refusalOf(e: unknown): Refusal | null {
  if (!(e instanceof ApiError) || (e.status !== 422 && e.status !== 409)) return null
  const b = e.body as Record<string, unknown>
  if (typeof b.rule !== 'string' || !b.rule) return null
  return { rule: b.rule, message: String(b.message ?? e.detail), source: String(b.source ?? ''), field: e.errors[0]?.field ?? '' }
}
