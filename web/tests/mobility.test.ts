import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api'
import type { Proposal } from '@/api/mobility'
import { lossBands, monthsText, outingSummaryText, proposalLink, refusalOf, shortScope } from '@/views/mobility/logic'

const scopes = [
  { code: 'cross_province', name: '跨省（区、市）流动' },
  { code: 'cross_city', name: '省内跨市（地、州、盟）流动' },
  { code: 'cross_county', name: '市内跨县（市、区、旗）流动' },
  { code: 'in_county', name: '县（市、区、旗）内流动' },
]

describe('流动党员', () => {
  it('says how long a member has been away', () => {
    expect(monthsText(0)).toBe('不满1个月')
    expect(monthsText(5)).toBe('5个月')
    expect(monthsText(12)).toBe('1年')
    expect(monthsText(38)).toBe('3年2个月')
  })

  it('shortens the 流向 names and writes the 流出 breakdown with 持活动证', () => {
    expect(shortScope('跨省（区、市）流动')).toBe('跨省')
    expect(shortScope('省内跨市（地、州、盟）流动')).toBe('省内跨市')
    const text = outingSummaryText({ total: 4, by_scope: { cross_province: 3, cross_city: 0, cross_county: 1, in_county: 0 }, with_card: 2, fixed: 1, over_6m: 1, unregistered: 0 }, scopes)
    expect(text).toBe('共 4 人，跨省 3 人，市内跨县 1 人，持《流动党员活动证》2 人，外出6个月以上 1 人')
    expect(outingSummaryText(null, scopes)).toBe('')
  })
})

describe('失联党员', () => {
  it('lists the 失联时长 bands in the order of the table, zeros included', () => {
    const bands = [
      { code: 'under6m', name: '不满6个月' },
      { code: '6m-1y', name: '6个月至1年' },
      { code: '1-5y', name: '1至5年' },
    ]
    expect(lossBands({ total: 2, by_band: { '1-5y': 2 }, by_situation: {}, searched: 0 }, bands)).toEqual([
      { code: 'under6m', name: '不满6个月', n: 0 },
      { code: '6m-1y', name: '6个月至1年', n: 0 },
      { code: '1-5y', name: '1至5年', n: 2 },
    ])
  })

  it('opens a proposal on the member, naming the procedure to use there', () => {
    const member = { id: 7, name: '周失联', gender_name: '男', org: { id: 1, code: 'T1', name: '桃源村支部' }, status: 'normal' }
    const p = (kind: Proposal['kind'], path: string, k?: string) => proposalLink({ kind, member, action: { method: 'POST', path, kind: k } })
    expect(p('suspend', '/api/v1/members/7/status-changes', 'suspend')).toMatchObject({ to: '/members?member=7', label: '办理停止党籍' })
    expect(p('lapse', '/api/v1/members/7/status-changes', 'lapse').hint).toContain('lapse')
    expect(p('transfer', '/api/v1/transfers').label).toBe('办理转接')
  })

  it('reads a refusal that names a rule, 422 or 409, and nothing else', () => {
    const e = new ApiError(409, { code: 'rule_violation', detail: 'x（依据：本系统）', rule: 'lost.once', message: '已标记失联', source: '本系统', errors: [{ field: 'member_id', message: '已标记失联' }] })
    expect(refusalOf(e)).toEqual({ rule: 'lost.once', message: '已标记失联', source: '本系统', field: 'member_id' })
    expect(refusalOf(new ApiError(422, { errors: [{ field: 'way', message: '请填写查找方式' }] }))).toBeNull()
    expect(refusalOf(new Error('x'))).toBeNull()
  })
})
