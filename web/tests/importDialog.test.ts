import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import ImportDialog from '@/views/members/ImportDialog.vue'
import { configureApi } from '@/api'
import type { Org } from '@/types'
import { json, settle } from './fixtures/members'

class FakeXHR {
  static last: FakeXHR | null = null
  url = ''
  status = 0
  responseText = ''
  withCredentials = false
  upload = { onprogress: null as null | ((e: object) => void), onload: null as null | (() => void) }
  onload: null | (() => void) = null
  onerror: null | (() => void) = null
  onabort: null | (() => void) = null
  constructor() {
    FakeXHR.last = this
  }
  open(_m: string, url: string) {
    this.url = url
  }
  setRequestHeader() {}
  send() {}
  abort() {
    this.onabort?.()
  }
  answer(status: number, body: unknown) {
    this.upload.onprogress?.({ lengthComputable: true, loaded: 10, total: 10 })
    this.status = status
    this.responseText = JSON.stringify(body)
    this.onload?.()
  }
}

const org = { id: 31, name: '中共某社区第一支部委员会', type: 'branch' } as Org
const q = (sel: string) => document.querySelector(sel) as HTMLElement | null
const text = () => document.body.textContent ?? ''

async function pickFile(name = '花名册.xlsx') {
  const input = document.querySelector('[data-testid="import-file"] input[type="file"]') as HTMLInputElement
  const file = new File(['PK'], name, { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
  Object.defineProperty(input, 'files', { value: [file], configurable: true })
  input.dispatchEvent(new Event('change'))
  await settle()
}

async function open() {
  const w = mount(ImportDialog, { props: { modelValue: false, org }, global: { plugins: [createPinia()] }, attachTo: document.body })
  await w.setProps({ modelValue: true })
  await settle()
  return w
}

describe('ImportDialog', () => {
  beforeEach(() => {
    vi.stubGlobal('XMLHttpRequest', FakeXHR)
    vi.stubGlobal('fetch', vi.fn(async () => json(200, { nodes: [] })))
    configureApi({ notifyError: () => {}, csrfToken: () => 't' })
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('refuses an old .xls before sending it', async () => {
    const w = await open()
    await pickFile('花名册.xls')
    expect(q('[data-testid="import-pick-error"]')?.textContent).toContain('另存为 .xlsx 格式')
    expect((q('[data-testid="btn-import-submit"]') as HTMLButtonElement).disabled).toBe(true)
    w.unmount()
  })

  it('shows the errors, says nothing was saved, and saves the marked workbook', async () => {
    const w = await open()
    await pickFile()
    ;(q('[data-testid="btn-import-submit"]') as HTMLButtonElement).click()
    await settle()
    expect(FakeXHR.last!.url).toBe('/api/v1/members/import?org=31')
    FakeXHR.last!.answer(422, {
      status: 422,
      code: 'invalid',
      detail: '有错误',
      errors: [
        { row: 7, column: 'F', header: '入党时间', field: 'joined_on', message: '入党时应年满18周岁' },
        { row: 3, column: 'C', header: '身份证号码', field: 'id_number', message: '公民身份号码校验位不正确' },
      ],
      mapping: [{ column: 'C', header: '身份证号码', field: 'id_number', field_name: '公民身份号码' }],
      error_workbook: btoa('PK-marked'),
    })
    await settle()
    expect(text()).toContain('有错误，未导入任何数据；请修改后重新上传')
    expect(text()).toContain('共 2 行、2 处需要修改')
    const rows = [...document.querySelectorAll('[data-testid="import-error-table"] .el-table__body tr')].map((r) => r.textContent)
    expect(rows[0]).toContain('第 3 行')
    expect(rows[0]).toContain('公民身份号码校验位不正确')
    expect(rows[1]).toContain('第 7 行')
    expect(q('[data-testid="import-mapping"]')?.textContent).toContain('「身份证号码」→ 公民身份号码')

    const created: Blob[] = []
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: (b: Blob) => (created.push(b), 'blob:x'), revokeObjectURL: () => {} }))
    let saved = ''
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved = this.download
    })
    ;(q('[data-testid="btn-error-workbook"]') as HTMLButtonElement).click()
    expect(saved).toBe('党员花名册-错误标注.xlsx')
    expect(await created[0]!.text()).toBe('PK-marked')
    click.mockRestore()
    w.unmount()
  })

  it('checks first, then imports on confirmation', async () => {
    const w = await open()
    await pickFile()
    ;(q('[data-testid="btn-import-check"]') as HTMLButtonElement).click()
    await settle()
    expect(FakeXHR.last!.url).toBe('/api/v1/members/import?org=31&dry_run=1')
    FakeXHR.last!.answer(200, { ok: true, created: 2, updated: 1, unchanged: 5, changes: [{ row: 4, member_id: 9, name: '李红梅', fields: ['phone', 'education'] }], mapping: [], ignored: ['备注'], notes: [] })
    await settle()
    expect(text()).toContain('检查通过，共 8 名党员，尚未导入')
    expect(text()).toContain('联系电话、学历')
    expect(w.emitted('imported')).toBeUndefined()
    ;(q('[data-testid="btn-import-confirm"]') as HTMLButtonElement).click()
    await settle()
    expect(FakeXHR.last!.url).toBe('/api/v1/members/import?org=31')
    FakeXHR.last!.answer(200, { ok: true, created: 2, updated: 1, unchanged: 5, changes: [], mapping: [], ignored: [], notes: [] })
    await settle()
    expect(text()).toContain('导入完成：新增 2 人，更新 1 人，5 人无变化')
    expect(w.emitted('imported')).toHaveLength(1)
    w.unmount()
  })
})
