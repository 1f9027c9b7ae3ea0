// 党费 display and form logic, kept apart from the pages so it can be tested: amounts in 分 as 元,
// month arithmetic, the status of a month, what 按标准收齐 collects.

import type { TagType } from '@/utils/format'
import type { LedgerRow, MonthFigures, MonthStatus } from '@/api/dues'

/** 分 as 元 with two decimals and thousands separators: 123456 → "1,234.56". */
export function fenToYuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—'
  const neg = fen < 0
  const abs = Math.round(Math.abs(fen))
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${neg ? '-' : ''}${yuan}.${String(abs % 100).padStart(2, '0')}`
}

/** fenToYuan with the unit: "45.00 元". */
export function yuanText(fen: number | null | undefined): string {
  const s = fenToYuan(fen)
  return s === '—' ? s : `${s} 元`
}

/**
 * What a person typed as 元 ("45", "4,500.5", "¥0.2") in 分, or null when it is not an amount
 * with at most two decimals. Negative amounts only when allowed (corrections).
 */
export function yuanToFen(text: string | number | null | undefined, allowNegative = false): number | null {
  if (text === null || text === undefined) return null
  const s = String(text).replace(/[,，\s¥￥元]/g, '')
  if (!/^-?\d+(\.\d{1,2})?$/.test(s)) return null
  if (s.startsWith('-') && !allowNegative) return null
  const [int, dec = ''] = s.replace('-', '').split('.')
  const fen = Number(int) * 100 + Number(dec.padEnd(2, '0'))
  return s.startsWith('-') ? -fen : fen
}

/** Basis points as a percentage: 50 → "0.5%", 150 → "1.5%". */
export function percent(bp: number): string {
  return `${Number((bp / 100).toFixed(2))}%`
}

/** round_half_up(base × bp / 10000), the server's rule (四舍五入到分), for previews. */
export function roundHalfUp(fen: number, bp: number): number {
  if (fen <= 0) return 0
  return Math.floor((fen * bp + 5000) / 10000)
}

/** The status of a month, as the server computes it. */
export function monthStatus(due: number | null, paid: number, notDue = false): MonthStatus {
  if (notDue) return 'not_due'
  if (due === null) return 'no_standard'
  if (due === 0 && paid <= 0) return 'exempt'
  if (paid <= 0) return 'unpaid'
  if (paid < due) return 'partial'
  if (paid === due) return 'paid'
  return 'over'
}

const STATUS: Record<MonthStatus, { label: string; type: TagType }> = {
  paid: { label: '已交', type: 'success' },
  unpaid: { label: '未交', type: 'danger' },
  partial: { label: '少交', type: 'warning' },
  over: { label: '多交', type: 'primary' },
  exempt: { label: '免交', type: 'info' },
  no_standard: { label: '未定标准', type: 'warning' },
  not_due: { label: '无需交纳', type: 'info' },
}

export function statusTag(s: string): { label: string; type: TagType } {
  return STATUS[s as MonthStatus] ?? { label: s, type: 'info' }
}

const SHORT: Record<string, string> = {
  salaried: '工资',
  annual_salary: '年薪',
  self_employed: '个体',
  retired: '离退休',
  farmer: '农民',
  student_etc: '学生等',
  reduced: '少交',
  exempt: '免交',
}

/** A category's short name for narrow table cells (the tooltip has the full one). */
export function shortCategory(c: string): string {
  return SHORT[c] ?? c
}

/** What is still owed on a row (0 when nothing). */
export function balance(r: { due_fen: number | null; paid_fen: number }): number {
  return r.due_fen === null ? 0 : Math.max(0, r.due_fen - r.paid_fen)
}

/** Whether 收缴 按标准 applies to a row: a due above 0 not yet paid in full, month not closed. */
export function collectable(r: Pick<LedgerRow, 'status' | 'due_fen' | 'paid_fen' | 'closed'>): boolean {
  return !r.closed && (r.status === 'unpaid' || r.status === 'partial') && balance(r) > 0
}

export interface BulkPlan {
  payments: { member_id: number; name: string; fen: number }[]
  skipped: string[]
  total_fen: number
}

/** 按标准收齐 for selected rows: one payment of the balance per collectable row; the rest skipped. */
export function bulkPlan(rows: LedgerRow[]): BulkPlan {
  const out: BulkPlan = { payments: [], skipped: [], total_fen: 0 }
  for (const r of rows) {
    if (collectable(r)) {
      const fen = balance(r)
      out.payments.push({ member_id: r.member.id, name: r.member.name, fen })
      out.total_fen += fen
    } else {
      out.skipped.push(r.member.name)
    }
  }
  return out
}

const pad = (n: number) => String(n).padStart(2, '0')

/** This month as YYYY-MM (local time). */
export function currentMonth(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}`
}

/** month + k months. */
export function addMonths(month: string, k: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const n = y * 12 + (m - 1) + k
  return `${Math.floor(n / 12)}-${pad((n % 12) + 1)}`
}

/** 2026-10 → 2026年10月. */
export function monthLabel(month: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month ?? '')
  return m ? `${m[1]}年${Number(m[2])}月` : '—'
}

/** Months from a to b inclusive. */
export function monthsBetween(a: string, b: string): string[] {
  const out: string[] = []
  for (let m = a; m <= b && out.length < 240; m = addMonths(m, 1)) out.push(m)
  return out
}

/** How far back a month is from the current one (0 = this month, negative = ahead). */
export function monthsAgo(month: string, now: string): number {
  const [y1, m1] = month.split('-').map(Number) as [number, number]
  const [y2, m2] = now.split('-').map(Number) as [number, number]
  return y2 * 12 + m2 - (y1 * 12 + m1)
}

/** The 补交 warning for a month past the branch's limit, or ''. */
export function backPayWarning(month: string, now: string, limit: number): string {
  const ago = monthsAgo(month, now)
  return ago > limit ? `补交一般不超过${limit}个月：${monthLabel(month)}已超过${limit}个月，须写明批准情况` : ''
}

export function arrearsTag(level: number): { label: string; type: TagType } {
  if (level >= 6) return { label: '连续6个月以上', type: 'danger' }
  if (level >= 5) return { label: '连续5个月', type: 'warning' }
  return { label: '连续3个月以上', type: 'info' }
}

/** Paid as a share of due, one decimal: 92.5%; — without a due. */
export function paidShare(paid: number, due: number): string {
  if (!due) return '—'
  return `${(Math.round((paid / due) * 1000) / 10).toFixed(1)}%`
}

/** The ECharts bar of paid against due per month (values in 元). */
export function monthChartOption(months: MonthFigures[] | null | undefined): Record<string, unknown> {
  const list = months ?? []
  return {
    color: ['#c8cdd4', '#b0242a'],
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: number) => `${fenToYuan(Math.round(v * 100))} 元`,
    },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: list.map((m) => `${Number(m.month.slice(5))}月`) },
    yAxis: { type: 'value', name: '元' },
    series: [
      { type: 'bar', name: '应交', barMaxWidth: 24, data: list.map((m) => m.due_fen / 100) },
      { type: 'bar', name: '实交', barMaxWidth: 24, data: list.map((m) => m.paid_fen / 100) },
    ],
  }
}

/** The standard editor's form: amounts as typed (元). */
export interface StandardForm {
  from: string
  category: string
  mode: 'base' | 'items'
  base: string
  fixed: string
  wages: { name: string; yuan: string }[]
  income_tax: string
  social_insurance: string
  housing_fund: string
  approval_body: string
  approval_doc: string
  note: string
}

export const RATE_CATEGORIES = ['salaried', 'annual_salary', 'self_employed', 'retired']
export const FIXED_CATEGORIES = ['farmer', 'reduced']
export const APPROVED_CATEGORIES = ['reduced', 'exempt']

/**
 * The request body of a standard form (also what /dues/calculate is asked), or the first
 * problem with the form as a field → message pair.
 */
export function standardBody(f: StandardForm): { body?: Record<string, unknown>; error?: [string, string] } {
  if (!f.category) return { error: ['category', '请选择党费交纳类别'] }
  const body: Record<string, unknown> = { from: f.from, category: f.category }
  if (RATE_CATEGORIES.includes(f.category)) {
    if (f.mode === 'items') {
      const wages = []
      for (const [i, w] of f.wages.entries()) {
        if (!w.name.trim() && !w.yuan.trim()) continue
        const fen = yuanToFen(w.yuan)
        if (!w.name.trim()) return { error: [`wages.${i}`, '请填写工资项目名称'] }
        if (fen === null) return { error: [`wages.${i}`, `“${w.name}”的金额应为数字（元，最多两位小数）`] }
        wages.push({ name: w.name.trim(), fen })
      }
      if (wages.length === 0) return { error: ['wages', '请至少填写一项工资项目'] }
      const ded = (s: string, label: string): number | [string, string] => {
        if (!s.trim()) return 0
        const v = yuanToFen(s)
        return v === null ? [label, `${label}应为数字（元）`] : v
      }
      const tax = ded(f.income_tax, '个人所得税')
      const si = ded(f.social_insurance, '社会保险个人缴费')
      const hf = ded(f.housing_fund, '住房公积金个人缴存')
      for (const d of [tax, si, hf]) if (Array.isArray(d)) return { error: ['items', d[1]] }
      body.items = { wages, income_tax_fen: tax, social_insurance_fen: si, housing_fund_fen: hf }
    } else {
      const fen = yuanToFen(f.base)
      if (fen === null) return { error: ['base_fen', '请填写计算基数（元，最多两位小数）'] }
      body.base_fen = fen
    }
  } else if (FIXED_CATEGORIES.includes(f.category)) {
    const fen = yuanToFen(f.fixed)
    if (fen === null) return { error: ['fixed_fen', f.category === 'farmer' ? '请填写每月数额（0.2元至1元）' : '请填写经批准的每月数额（元）'] }
    body.fixed_fen = fen
  }
  if (APPROVED_CATEGORIES.includes(f.category)) {
    body.approval_body = f.approval_body.trim()
    body.approval_doc = f.approval_doc.trim()
  }
  if (f.note.trim()) body.note = f.note.trim()
  return { body }
}
