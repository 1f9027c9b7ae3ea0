import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import MyRecordView from '@/views/me/MyRecordView.vue'
import { configureApi } from '@/api'
import { json, member, memberMeta, settle } from './fixtures/members'

type Call = { url: string; method: string; body: unknown }

// A member sees their own phone and address; the ID number stays masked unless asked for.
const self = { ...member, phone: '13907361234', address: '湖南省常德市武陵区某路1号' }

describe('MyRecordView on a phone', () => {
  const calls: Call[] = []
  beforeEach(() => {
    calls.length = 0
    // 375 px wide: the phone layout.
    vi.stubGlobal('matchMedia', (q: string) => ({ matches: q.includes('max-width: 767px'), addEventListener() {}, removeEventListener() {} }))
    configureApi({ notifyError: () => {}, csrfToken: () => 't' })
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        calls.push({ url, method: init?.method ?? 'GET', body: init?.body ? JSON.parse(String(init.body)) : undefined })
        if (url.startsWith('/api/v1/members/meta')) return json(200, memberMeta)
        if (url === '/api/v1/me/member/changes')
          return json(200, {
            applied: ['phone'],
            request: { id: 6, member_id: 9, member_name: '李红梅', org_name: member.org_name, changes: [{ field: 'education', label: '学历', from: '大学本科毕业', to: '硕士研究生毕业' }], status: 'pending', requested_at: '2026-05-02T01:00:00Z', requested_by: 'lhm' },
            member: { ...self, phone: '13907369999' },
          })
        if (url === '/api/v1/me/member')
          return json(200, {
            ...self,
            pending_request: {
              id: 5,
              member_id: 9,
              member_name: '李红梅',
              org_name: member.org_name,
              changes: [{ field: 'job', label: '工作岗位', from: '党政机关工作人员', to: '农牧渔民' }],
              status: 'pending',
              requested_at: '2026-05-01T01:00:00Z',
              requested_by: 'lhm',
            },
          })
        return json(404, { status: 404 })
      }),
    )
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('shows the record in groups and the request waiting for the branch', async () => {
    const w = mount(MyRecordView, { global: { plugins: [createPinia()] }, attachTo: document.body })
    await settle()
    expect(w.get('[data-testid="my-name"]').text()).toBe('李红梅')
    const t = w.text()
    for (const g of ['基本信息', '党籍信息', '联系方式', '学历与工作']) expect(t).toContain(g)
    expect(t).toContain('4307**********0022')
    expect(w.get('[data-testid="my-pending"]').text()).toContain('工作岗位党政机关工作人员 → 农牧渔民')
    w.unmount()
  })

  it('sends only the changed fields and says which wait for approval', async () => {
    const w = mount(MyRecordView, { global: { plugins: [createPinia()] }, attachTo: document.body })
    await settle()
    await w.get('[data-testid="btn-edit-self"]').trigger('click')
    await settle()
    const dialog = document.querySelector('[data-testid="self-form-dialog"]')!
    expect(dialog.classList.contains('is-fullscreen')).toBe(true)
    expect(dialog.textContent).toContain('需党支部审核')
    const phone = dialog.querySelector('input[data-testid="self-phone"]') as HTMLInputElement
    expect(phone.value).toBe('13907361234')
    expect((dialog.querySelector('input[data-testid="self-id-number"]') as HTMLInputElement).placeholder).toBe('已登记（4307**********0022），登记有误时填写正确号码')
    phone.value = '139 0736 9999'
    phone.dispatchEvent(new Event('input'))
    await settle()
    ;(document.querySelector('[data-testid="self-submit"]') as HTMLButtonElement).click()
    await settle(8)
    const post = calls.find((c) => c.method === 'POST')!
    expect(post.url).toBe('/api/v1/me/member/changes')
    expect(post.body).toEqual({ phone: '13907369999', note: '' })
    expect(document.body.textContent).toContain('已更新：联系电话；学历已提交党支部审核，审核通过后生效')
    expect(w.get('[data-testid="my-pending"]').text()).toContain('学历大学本科毕业 → 硕士研究生毕业')
    w.unmount()
  })
})
