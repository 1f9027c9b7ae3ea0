// How an import answer is shown: the header mapping as sentences, the result as one line, the
// 422's row errors as a table sorted by row, and what a failed upload means for the user.

import { ApiError } from '@/api'
import type { ImportIgnored, ImportMapping, ImportProblem, ImportResult, ImportRowError } from '@/types'
import { fieldLabel } from './fields'

export const MAX_IMPORT_MB = 20
export const MAX_IMPORT_BYTES = MAX_IMPORT_MB * 1024 * 1024
export const ERROR_WORKBOOK_NAME = '党员花名册-错误标注.xlsx'
export const NOTHING_SAVED = '有错误，未导入任何数据；请修改后重新上传'

/** 「身份证号码」→ 公民身份号码 */
export function mappingLine(m: ImportMapping): string {
  return `「${m.header}」→ ${m.field_name || fieldLabel(m.field)}`
}

/** A header the server did not use, as people read it: 「备注」（第K列）. */
export function ignoredLine(x: ImportIgnored): string {
  if (typeof x === 'string') return `「${x}」`
  const head = x.header ? `「${x.header}」` : ''
  const col = x.column ? `（第${x.column}列）` : ''
  const why = x.reason ? `：${x.reason}` : ''
  return `${head || col}${head ? col : ''}${why}` || '（未命名列）'
}

/** Why a file cannot be sent before sending it, or ''. */
export function fileError(file: { name: string; size: number } | null | undefined): string {
  if (!file) return '请选择要导入的 Excel 文件'
  if (!/\.(xlsx|csv)$/i.test(file.name)) return /\.(xls|et)$/i.test(file.name) ? '请将文件另存为 .xlsx 格式后再上传' : '请选择 .xlsx 格式的 Excel 文件（或 .csv）'
  if (file.size === 0) return '文件是空的'
  if (file.size > MAX_IMPORT_BYTES) return `文件超过 ${MAX_IMPORT_MB} MB，请拆分成几个文件分批导入`
  return ''
}

export interface ImportSummary {
  title: string
  type: 'success' | 'info'
  counts: { label: string; value: number }[]
}

/** The result in one line: checked only (dry run) or saved. */
export function importSummary(r: ImportResult, dryRun: boolean): ImportSummary {
  const created = r.created ?? 0
  const updated = r.updated ?? 0
  const unchanged = r.unchanged ?? 0
  const total = created + updated + unchanged
  const counts = [
    { label: dryRun ? '将新增' : '新增', value: created },
    { label: dryRun ? '将更新' : '更新', value: updated },
    { label: '无变化', value: unchanged },
  ]
  if (dryRun) {
    return {
      title: total === 0 ? '检查通过，但表格中没有党员数据' : `检查通过，共 ${total} 名党员，尚未导入；确认无误后请点击“确认导入”`,
      type: 'info',
      counts,
    }
  }
  return {
    title: created + updated === 0 ? '导入完成，表格中的信息与系统一致，没有需要更新的内容' : `导入完成：新增 ${created} 人，更新 ${updated} 人，${unchanged} 人无变化`,
    type: 'success',
    counts,
  }
}

export interface ErrorRow {
  key: string
  row: string
  column: string
  message: string
}

/** The row errors, by row then column; errors without a row (the whole file) come first. */
export function errorRows(errors: ImportRowError[] | null | undefined): ErrorRow[] {
  const list = (errors ?? []).map((e, i) => ({ e, i }))
  list.sort((a, b) => (a.e.row ?? 0) - (b.e.row ?? 0) || colIndex(a.e.column) - colIndex(b.e.column) || a.i - b.i)
  return list.map(({ e, i }) => ({
    key: `${e.row ?? 0}-${e.column ?? ''}-${i}`,
    row: e.row ? `第 ${e.row} 行` : '整个文件',
    column: [e.column ? `${e.column}列` : '', e.header ? `「${e.header}」` : e.field ? fieldLabel(e.field) : ''].filter(Boolean).join(' ') || '—',
    message: e.message,
  }))
}

/** A spreadsheet column (A, Z, AA…) as a number, for sorting; unknown columns last. */
export function colIndex(col: string | undefined): number {
  if (!col || !/^[A-Za-z]+$/.test(col)) return Number.MAX_SAFE_INTEGER
  let n = 0
  for (const c of col.toUpperCase()) n = n * 26 + (c.charCodeAt(0) - 64)
  return n
}

/** How many rows (not errors) are wrong. */
export function badRowCount(errors: ImportRowError[] | null | undefined): number {
  return new Set((errors ?? []).filter((e) => e.row).map((e) => e.row)).size
}

export type ImportFailure =
  | { kind: 'rows'; problem: ImportProblem }
  | { kind: 'too_large'; message: string }
  | { kind: 'message'; message: string }
  | { kind: 'handled' }

/** What a failed upload means: a 422 with rows to fix, a file too large, or a message. */
export function importFailure(e: unknown): ImportFailure {
  if (e instanceof ApiError) {
    if (e.status === 413) return { kind: 'too_large', message: `文件超过 ${MAX_IMPORT_MB} MB，请拆分成几个文件分批导入` }
    if (e.status === 422) return { kind: 'rows', problem: e.body as unknown as ImportProblem }
    if (e.handled) return { kind: 'handled' }
    return { kind: 'message', message: e.detail }
  }
  if (e instanceof DOMException && e.name === 'AbortError') return { kind: 'message', message: '已取消上传' }
  return { kind: 'message', message: e instanceof Error ? e.message : String(e) }
}
