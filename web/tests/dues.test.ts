import { describe, expect, it } from 'vitest'
import {
  addMonths,
  backPayWarning,
  balance,
  bulkPlan,
  collectable,
  currentMonth,
  fenToYuan,
  monthChartOption,
  monthLabel,
  monthStatus,
  monthsAgo,
  monthsBetween,
  paidShare,
  percent,
  roundHalfUp,
  shortCategory,
  standardBody,
  statusTag,
  type StandardForm,
  yuanText,
  yuanToFen,
} from '@/utils/dues'
import type { LedgerRow } from '@/api/dues'

describe('amounts', () => {
  it('formats 分 as 元 with two decimals', () => {
    expect(fenToYuan(0)).toBe('0.00')
    expect(fenToYuan(20)).toBe('0.20')
    expect(fenToYuan(4500)).toBe('45.00')
    expect(fenToYuan(123456)).toBe('1,234.56')
    expect(fenToYuan(100000000)).toBe('1,000,000.00')
    expect(fenToYuan(-3500)).toBe('-35.00')
    expect(fenToYuan(null)).toBe('—')
    expect(yuanText(1500)).toBe('15.00 元')
    expect(yuanText(undefined)).toBe('—')
  })

  it('reads typed 元 into 分 without floating point errors', () => {
    expect(yuanToFen('45')).toBe(4500)
    expect(yuanToFen('0.2')).toBe(20)
    expect(yuanToFen('4,500.5')).toBe(450050)
    expect(yuanToFen('¥ 3000.01 元')).toBe(300001)
    expect(yuanToFen('1.1')).toBe(110) // 1.1 * 100 is 110.00000000000001 in floating point
    expect(yuanToFen(2999.99)).toBe(299999)
    expect(yuanToFen('12.345')).toBeNull()
    expect(yuanToFen('abc')).toBeNull()
    expect(yuanToFen('')).toBeNull()
    expect(yuanToFen('-10')).toBeNull()
    expect(yuanToFen('-10', true)).toBe(-1000)
  })

  it('rounds half up to the 分 like the server', () => {
    expect(roundHalfUp(299999, 50)).toBe(1500)
    expect(roundHalfUp(300001, 100)).toBe(3000)
    expect(roundHalfUp(500001, 150)).toBe(7500)
    expect(roundHalfUp(100, 50)).toBe(1)
    expect(roundHalfUp(99, 50)).toBe(0)
    expect(percent(50)).toBe('0.5%')
    expect(percent(150)).toBe('1.5%')
    expect(percent(200)).toBe('2%')
  })
})

describe('month status', () => {
  it('is computed like the server', () => {
    expect(monthStatus(4500, 0)).toBe('unpaid')
    expect(monthStatus(4500, 2000)).toBe('partial')
    expect(monthStatus(4500, 4500)).toBe('paid')
    expect(monthStatus(4500, 5000)).toBe('over')
    expect(monthStatus(0, 0)).toBe('exempt')
    expect(monthStatus(null, 0)).toBe('no_standard')
    expect(monthStatus(4500, 0, true)).toBe('not_due')
    expect(statusTag('unpaid')).toEqual({ label: '未交', type: 'danger' })
    expect(statusTag('paid').label).toBe('已交')
    expect(statusTag('weird').label).toBe('weird')
    expect(shortCategory('student_etc')).toBe('学生等')
    expect(shortCategory('x')).toBe('x')
  })

  const row = (name: string, status: LedgerRow['status'], due: number | null, paid: number, closed = false) =>
    ({ member: { id: name.length, name }, status, due_fen: due, paid_fen: paid, closed }) as unknown as LedgerRow

  it('collects the balance of unpaid and partial rows only', () => {
    expect(balance({ due_fen: 4500, paid_fen: 2000 })).toBe(2500)
    expect(balance({ due_fen: null, paid_fen: 0 })).toBe(0)
    expect(collectable(row('a', 'unpaid', 4500, 0))).toBe(true)
    expect(collectable(row('a', 'unpaid', 4500, 0, true))).toBe(false)
    expect(collectable(row('a', 'paid', 4500, 4500))).toBe(false)
    const plan = bulkPlan([row('张三', 'unpaid', 4500, 0), row('李四四', 'partial', 1500, 500), row('王五五五', 'paid', 20, 20), row('赵', 'no_standard', null, 0)])
    expect(plan.payments).toEqual([
      { member_id: 2, name: '张三', fen: 4500 },
      { member_id: 3, name: '李四四', fen: 1000 },
    ])
    expect(plan.total_fen).toBe(5500)
    expect(plan.skipped).toEqual(['王五五五', '赵'])
  })
})

describe('months', () => {
  it('adds, labels and counts months across years', () => {
    expect(currentMonth(new Date(2026, 0, 31))).toBe('2026-01')
    expect(addMonths('2026-11', 2)).toBe('2027-01')
    expect(addMonths('2026-01', -1)).toBe('2025-12')
    expect(monthLabel('2026-03')).toBe('2026年3月')
    expect(monthLabel(null)).toBe('—')
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02'])
    expect(monthsAgo('2026-04', '2026-10')).toBe(6)
    expect(backPayWarning('2026-04', '2026-10', 6)).toBe('')
    expect(backPayWarning('2026-03', '2026-10', 6)).toContain('补交一般不超过6个月')
  })

  it('charts paid against due in 元', () => {
    const o = monthChartOption([{ month: '2026-01', due_fen: 4500, paid_fen: 2000 }]) as { xAxis: { data: string[] }; series: { data: number[] }[] }
    expect(o.xAxis.data).toEqual(['1月'])
    expect(o.series[0]!.data).toEqual([45])
    expect(o.series[1]!.data).toEqual([20])
    expect(paidShare(925, 1000)).toBe('92.5%')
    expect(paidShare(1, 0)).toBe('—')
  })
})

describe('standard form', () => {
  const form = (over: Partial<StandardForm>) => ({
    from: '2026-10',
    category: 'salaried',
    mode: 'base' as const,
    base: '',
    fixed: '',
    wages: [{ name: '', yuan: '' }],
    income_tax: '',
    social_insurance: '',
    housing_fund: '',
    approval_body: '',
    approval_doc: '',
    note: '',
    ...over,
  })

  it('sends the base in 分 for rate categories', () => {
    expect(standardBody(form({ base: '3000.01' }))).toEqual({ body: { from: '2026-10', category: 'salaried', base_fen: 300001 } })
    expect(standardBody(form({ base: '' })).error?.[0]).toBe('base_fen')
    expect(standardBody(form({ category: '' })).error?.[0]).toBe('category')
  })

  it('sends wage items and deductions', () => {
    const r = standardBody(
      form({ mode: 'items', wages: [{ name: '岗位工资', yuan: '4000' }, { name: '', yuan: '' }, { name: '薪级工资', yuan: '1200.5' }], income_tax: '200.01' }),
    )
    expect(r.body?.items).toEqual({
      wages: [
        { name: '岗位工资', fen: 400000 },
        { name: '薪级工资', fen: 120050 },
      ],
      income_tax_fen: 20001,
      social_insurance_fen: 0,
      housing_fund_fen: 0,
    })
    expect(standardBody(form({ mode: 'items', wages: [{ name: '岗位工资', yuan: 'x' }] })).error?.[0]).toBe('wages.0')
    expect(standardBody(form({ mode: 'items', wages: [] })).error?.[0]).toBe('wages')
  })

  it('sends fixed amounts and approvals', () => {
    expect(standardBody(form({ category: 'farmer', fixed: '0.5' })).body).toEqual({ from: '2026-10', category: 'farmer', fixed_fen: 50 })
    expect(standardBody(form({ category: 'farmer', fixed: '' })).error?.[0]).toBe('fixed_fen')
    expect(standardBody(form({ category: 'student_etc' })).body).toEqual({ from: '2026-10', category: 'student_etc' })
    expect(standardBody(form({ category: 'exempt', approval_body: ' 镇党委 ', approval_doc: '桃组〔2026〕1号' })).body).toEqual({
      from: '2026-10',
      category: 'exempt',
      approval_body: '镇党委',
      approval_doc: '桃组〔2026〕1号',
    })
  })
})
