import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api'
import { balanceLine, childrenSum, offered, refusalOf, type ChangeRow, type Procedure, type Standing } from '@/api/standing'

const row = (over: Partial<ChangeRow>): ChangeRow => ({
  org_id: 1,
  org_code: 'N',
  org_name: '中共启明街道工作委员会',
  node: false,
  prev_total: 0,
  prev_frozen: false,
  develop: 0,
  rejoin: 0,
  restore: 0,
  transfer_in: 0,
  org_transfer_in: 0,
  increase: 0,
  left: 0,
  expel: 0,
  withdraw: 0,
  persuade: 0,
  persuade_removed: 0,
  lapse: 0,
  cancel_probation: 0,
  suspend: 0,
  death: 0,
  transfer_out: 0,
  org_transfer_out: 0,
  decrease: 0,
  expected: 0,
  actual: 0,
  difference: 0,
  ...over,
})

describe('党员数量变化 balance', () => {
  it('reads a balanced row as the equation and the match', () => {
    expect(balanceLine(row({ prev_total: 6, increase: 3, decrease: 4, expected: 5, actual: 5 }))).toBe('6 + 3 − 4 = 5，与实有数 5 相符')
  })

  it('shows the 差额 with its sign when the frozen total and the roster disagree', () => {
    expect(balanceLine(row({ prev_total: 6, increase: 3, decrease: 4, expected: 5, actual: 4, difference: 1 }))).toBe('6 + 3 − 4 = 5，实有数 4，差额 +1')
    expect(balanceLine(row({ prev_total: 6, expected: 6, actual: 7, difference: -1 }))).toBe('6 + 0 − 0 = 6，实有数 7，差额 -1')
  })

  it('sums the children on the columns a move between them cannot change', () => {
    const rows = [
      row({ node: true, prev_total: 6, expected: 5, actual: 5 }),
      row({ org_id: 2, prev_total: 4, expected: 2, actual: 2, transfer_out: 2 }),
      row({ org_id: 3, prev_total: 2, expected: 3, actual: 3, transfer_in: 2 }),
    ]
    expect(childrenSum(rows)).toEqual({ prev: 6, expected: 5, actual: 5 })
    expect(childrenSum([rows[0]!])).toBeNull()
  })
})

describe('党籍变动 dialog', () => {
  const proc = (kind: string, name: string): Procedure => ({
    kind,
    name,
    group: '',
    from: ['normal'],
    from_names: ['正常'],
    to: 'left',
    to_name: '已出党',
    probationary_only: false,
    approval_required: true,
    document_required: true,
    approval_hint: '',
    event: kind,
    hint: '',
    rules: [],
  })
  it('offers the allowed procedures first and keeps the reason of the others', () => {
    const st: Standing = {
      member_id: 1,
      name: '张卫国',
      status: 'left',
      status_name: '已出党',
      status_on: '2026-08-01',
      joined_on: '2010-07-01',
      category: 'full',
      items: [],
      available: [
        { kind: 'restore', name: '恢复党籍', allowed: false, reason: '出党者原则上不能恢复党籍，符合条件的可以重新入党' },
        { kind: 'rejoin', name: '重新入党', allowed: true },
      ],
    }
    const got = offered([proc('restore', '恢复党籍'), proc('rejoin', '重新入党')], st)
    expect(got.map((o) => [o.proc.kind, o.allowed])).toEqual([
      ['rejoin', true],
      ['restore', false],
    ])
    expect(got[1]!.reason).toContain('重新入党')
  })

  it('reads a refusal with its rule and source', () => {
    const e = new ApiError(422, {
      code: 'rule_violation',
      detail: 'x',
      rule: 'standing.restore',
      title: '恢复党籍',
      message: '“张卫国”已出党：出党者原则上不能恢复党籍',
      source: '《中国共产党党员教育管理工作条例》（2019）第二十四条',
      violations: [{ rule: 'standing.restore', title: '恢复党籍', source: 's', message: '“张卫国”已出党：出党者原则上不能恢复党籍', level: 'block' }],
    })
    const r = refusalOf(e)
    expect(r?.rule).toBe('standing.restore')
    expect(r?.source).toContain('第二十四条')
    expect(r?.others).toEqual([])
    expect(refusalOf(new ApiError(422, { errors: [{ field: 'on', message: '请填写' }] }))).toBeNull()
  })
})
