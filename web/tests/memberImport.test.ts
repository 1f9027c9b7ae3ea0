import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, base64ToBlob, configureApi, memberApi } from '@/api'
import type { ImportResult } from '@/types'
import {
  badRowCount,
  colIndex,
  errorRows,
  fileError,
  ignoredLine,
  importFailure,
  importSummary,
  mappingLine,
  NOTHING_SAVED,
} from '@/views/members/importResult'

const result = (r: Partial<ImportResult>): ImportResult => ({ ok: true, created: 0, updated: 0, unchanged: 0, changes: [], mapping: [], ignored: [], notes: [], ...r })

describe('import presentation', () => {
  it('states the header mapping as people read it', () => {
    expect(mappingLine({ column: 'C', header: '身份证号码', field: 'id_number', field_name: '公民身份号码' })).toBe('「身份证号码」→ 公民身份号码')
    expect(mappingLine({ column: 'D', header: '电话', field: 'phone', field_name: '' })).toBe('「电话」→ 联系电话')
    expect(ignoredLine('备注')).toBe('「备注」')
    expect(ignoredLine({ column: 'K', header: '备注' })).toBe('「备注」（第K列）')
    expect(ignoredLine({ column: 'L' })).toBe('（第L列）')
  })

  it('sums up a check and an import', () => {
    expect(importSummary(result({ created: 3, updated: 2, unchanged: 40 }), true).title).toBe('检查通过，共 45 名党员，尚未导入；确认无误后请点击“确认导入”')
    expect(importSummary(result({ created: 3, updated: 2, unchanged: 40 }), true).counts.map((c) => c.label)).toEqual(['将新增', '将更新', '无变化'])
    expect(importSummary(result({ created: 3, updated: 2, unchanged: 40 }), false)).toMatchObject({ title: '导入完成：新增 3 人，更新 2 人，40 人无变化', type: 'success' })
    expect(importSummary(result({ unchanged: 10 }), false).title).toContain('没有需要更新的内容')
  })

  it('lists errors by row then column, whole-file errors first', () => {
    const rows = errorRows([
      { row: 12, column: 'AA', header: '入党日期', message: '入党时应年满18周岁' },
      { row: 5, column: 'C', header: '身份证号码', message: '公民身份号码校验位不正确' },
      { row: 12, column: 'B', header: '性别', message: '请填写性别' },
      { message: '缺少「姓名」列' },
      { row: 5, column: 'D', field: 'phone', message: '手机号码应为11位' },
    ])
    expect(rows.map((r) => [r.row, r.column, r.message])).toEqual([
      ['整个文件', '—', '缺少「姓名」列'],
      ['第 5 行', 'C列 「身份证号码」', '公民身份号码校验位不正确'],
      ['第 5 行', 'D列 联系电话', '手机号码应为11位'],
      ['第 12 行', 'B列 「性别」', '请填写性别'],
      ['第 12 行', 'AA列 「入党日期」', '入党时应年满18周岁'],
    ])
    expect(badRowCount([{ row: 5, message: 'a' }, { row: 5, message: 'b' }, { row: 7, message: 'c' }, { message: 'd' }])).toBe(2)
    expect(colIndex('A')).toBe(1)
    expect(colIndex('AA')).toBe(27)
  })

  it('refuses what the server would refuse before sending it', () => {
    expect(fileError(null)).toBe('请选择要导入的 Excel 文件')
    expect(fileError({ name: '花名册.xls', size: 10 })).toContain('另存为 .xlsx')
    expect(fileError({ name: '花名册.et', size: 10 })).toContain('另存为 .xlsx')
    expect(fileError({ name: '花名册.pdf', size: 10 })).toContain('.xlsx')
    expect(fileError({ name: '花名册.csv', size: 10 })).toBe('')
    expect(fileError({ name: '花名册.XLSX', size: 21 * 1024 * 1024 })).toContain('20 MB')
    expect(fileError({ name: '花名册.xlsx', size: 2048 })).toBe('')
  })

  it('tells a 422 with rows from a 413 and from other failures', () => {
    const p = importFailure(new ApiError(422, { errors: [{ field: 'id_number', message: 'x' }], error_workbook: 'AAAA' }))
    expect(p.kind).toBe('rows')
    expect(importFailure(new ApiError(413, {}))).toEqual({ kind: 'too_large', message: '文件超过 20 MB，请拆分成几个文件分批导入' })
    expect(importFailure(new ApiError(409, { detail: '另一个导入正在进行' }))).toEqual({ kind: 'message', message: '另一个导入正在进行' })
    expect(NOTHING_SAVED).toBe('有错误，未导入任何数据；请修改后重新上传')
  })

  it('decodes the error workbook', async () => {
    const blob = base64ToBlob(btoa('PK\u0003\u0004xlsx'))
    expect(blob.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    expect(new Uint8Array(await blob.arrayBuffer()).slice(0, 4)).toEqual(new Uint8Array([0x50, 0x4b, 3, 4]))
  })
})

/** A stand-in for XMLHttpRequest that records the request and answers when told. */
class FakeXHR {
  static last: FakeXHR | null = null
  method = ''
  url = ''
  headers: Record<string, string> = {}
  body: unknown = null
  status = 0
  responseText = ''
  withCredentials = false
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null; onload: (() => void) | null } = {
    onprogress: null,
    onload: null,
  }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  onabort: (() => void) | null = null
  constructor() {
    FakeXHR.last = this
  }
  open(method: string, url: string) {
    this.method = method
    this.url = url
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v
  }
  send(body: unknown) {
    this.body = body
  }
  abort() {
    this.onabort?.()
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total })
  }
  answer(status: number, body: unknown) {
    this.status = status
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body)
    this.onload?.()
  }
}

describe('uploading a roster', () => {
  const notify = vi.fn<(m: string) => void>()
  beforeEach(() => {
    vi.stubGlobal('XMLHttpRequest', FakeXHR)
    configureApi({ csrfToken: () => 'tok-9', notifyError: notify, onUnauthorized: () => {} })
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    notify.mockReset()
    FakeXHR.last = null
  })

  const file = () => new File(['x'], '党员花名册.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })

  it('sends the file with the CSRF header and reports progress', async () => {
    const seen: number[] = []
    const p = memberApi.importFile(31, file(), true, (n) => seen.push(n))
    const xhr = FakeXHR.last!
    expect(xhr.method).toBe('POST')
    expect(xhr.url).toBe('/api/v1/members/import?org=31&dry_run=1')
    expect(xhr.headers['X-CSRF-Token']).toBe('tok-9')
    expect((xhr.body as FormData).get('file')).toBeInstanceOf(File)
    xhr.progress(512, 2048)
    xhr.progress(2048, 2048)
    xhr.answer(200, result({ created: 2, mapping: [{ column: 'A', header: '姓名', field: 'name', field_name: '姓名' }] }))
    expect(seen).toEqual([25, 100])
    expect((await p).created).toBe(2)
  })

  it('leaves a 422 with its rows to the dialog, without a message', async () => {
    const p = memberApi.importFile(31, file(), false)
    expect(FakeXHR.last!.url).toBe('/api/v1/members/import?org=31')
    FakeXHR.last!.answer(422, { status: 422, code: 'invalid', detail: '有错误', errors: [{ row: 3, column: 'C', header: '身份证号码', field: 'id_number', message: '校验位不正确' }], error_workbook: 'UEs=' })
    const err = await p.catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    const why = importFailure(err)
    expect(why.kind).toBe('rows')
    if (why.kind === 'rows') {
      expect(why.problem.error_workbook).toBe('UEs=')
      expect(errorRows(why.problem.errors)[0]!.message).toBe('校验位不正确')
    }
    expect(notify).not.toHaveBeenCalled()
  })

  it('understands a proxy’s HTML 413 page and a 500', async () => {
    const p = memberApi.importFile(31, file(), false)
    FakeXHR.last!.answer(413, '<html>413 Request Entity Too Large</html>')
    expect(importFailure(await p.catch((e) => e)).kind).toBe('too_large')

    const q = memberApi.importFile(31, file(), false)
    FakeXHR.last!.answer(500, { status: 500 })
    const e500 = await q.catch((e) => e)
    expect(e500.handled).toBe(true)
    expect(importFailure(e500)).toEqual({ kind: 'handled' })
    expect(notify).toHaveBeenCalledTimes(1)
  })

  it('can be cancelled', async () => {
    const c = new AbortController()
    const p = memberApi.importFile(31, file(), false, undefined, c.signal)
    c.abort()
    const err = await p.catch((e) => e)
    expect(err).toBeInstanceOf(DOMException)
    expect(importFailure(err)).toEqual({ kind: 'message', message: '已取消上传' })
  })
})
