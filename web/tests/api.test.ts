import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  ApiError,
  api,
  buildURL,
  configureApi,
  dispositionFilename,
  NETWORK_ERROR,
  normalizeField,
  SERVER_ERROR,
  showError,
  splitFieldErrors,
} from '@/api'

async function fail(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p
  } catch (e) {
    return e as ApiError
  }
  throw new Error('expected the request to fail')
}

function problem(status: number, body: object) {
  return new Response(JSON.stringify({ type: 'about:blank', status, ...body }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  })
}

describe('splitFieldErrors', () => {
  const known = ['code', 'name', 'units', 'leaders', 'leaders.0.name', 'leaders.1.name', 'leaders.1.post']

  it('puts each message under the form prop, normalising indexes', () => {
    const r = splitFieldErrors(
      [
        { field: 'code', message: '组织代码已被“中共某某支部委员会”使用' },
        { field: 'leaders[1].name', message: '请填写姓名（最长30字）' },
        { field: 'leaders[1].post', message: '请选择职务' },
      ],
      known,
    )
    expect(r.fields).toEqual({
      code: '组织代码已被“中共某某支部委员会”使用',
      'leaders.1.name': '请填写姓名（最长30字）',
      'leaders.1.post': '请选择职务',
    })
    expect(r.rest).toEqual([])
  })

  it('falls back to the nearest prop the form has, and keeps the rest apart', () => {
    const r = splitFieldErrors(
      [
        { field: 'units[2]', message: '所在单位名称不能为空，最长100字' },
        { field: 'leaders[5].started_on', message: '任职日期不能晚于今天' },
        { field: 'parent_id', message: '党小组下不能再设立党组织' },
        { field: '', message: '请求有误' },
      ],
      known,
    )
    expect(r.fields).toEqual({ units: '所在单位名称不能为空，最长100字', leaders: '任职日期不能晚于今天' })
    expect(r.rest).toEqual(['党小组下不能再设立党组织', '请求有误'])
  })

  it('joins several messages for one field', () => {
    const r = splitFieldErrors(
      [
        { field: 'name', message: '请填写组织名称' },
        { field: 'name', message: '组织名称最长100字' },
      ],
      (p) => p === 'name',
    )
    expect(r.fields.name).toBe('请填写组织名称；组织名称最长100字')
  })

  it('normalises bracket and dot paths alike', () => {
    expect(normalizeField('roles[0].org_id')).toBe('roles.0.org_id')
    expect(normalizeField('a.b')).toBe('a.b')
  })
})

describe('request', () => {
  const fetchMock = vi.fn<typeof fetch>()
  const notify = vi.fn<(m: string) => void>()
  const onUnauthorized = vi.fn<(e: ApiError) => void>()

  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock)
    configureApi({ csrfToken: () => 'tok-123', notifyError: notify, onUnauthorized })
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    fetchMock.mockReset()
    notify.mockReset()
    onUnauthorized.mockReset()
  })

  it('sends JSON with the session cookie, and the CSRF header only on writes', async () => {
    fetchMock.mockResolvedValueOnce(new Response('{"id":1}', { status: 200 }))
    fetchMock.mockResolvedValueOnce(new Response('{"id":2}', { status: 201 }))
    expect(await api.get('/api/v1/orgs', { q: '社区', type: '', page: 2, direct: true })).toEqual({ id: 1 })
    expect(await api.post('/api/v1/orgs', { name: 'x' })).toEqual({ id: 2 })

    const [url1, init1] = fetchMock.mock.calls[0]!
    expect(url1).toBe('/api/v1/orgs?q=%E7%A4%BE%E5%8C%BA&page=2&direct=1')
    expect(init1!.credentials).toBe('same-origin')
    expect((init1!.headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined()

    const [, init2] = fetchMock.mock.calls[1]!
    expect(init2!.method).toBe('POST')
    expect(init2!.body).toBe('{"name":"x"}')
    expect((init2!.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok-123')
    expect((init2!.headers as Record<string, string>)['Content-Type']).toBe('application/json')
  })

  it('returns undefined for 204', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }))
    expect(await api.del('/api/v1/orgs/3')).toBeUndefined()
  })

  it('throws a 422 with its field errors for the form, without telling anyone', async () => {
    fetchMock.mockResolvedValueOnce(
      problem(422, { code: 'invalid', title: '输入有误', detail: '请检查标红的字段', errors: [{ field: 'code', message: '组织代码已被使用' }] }),
    )
    const err = await fail(api.post('/api/v1/orgs', {}))
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(422)
    expect(err.code).toBe('invalid')
    expect(err.errors).toEqual([{ field: 'code', message: '组织代码已被使用' }])
    expect(err.handled).toBe(false)
    expect(notify).not.toHaveBeenCalled()
    // showError() for a 422 nobody mapped shows the field messages.
    expect(showError(err)).toBe('组织代码已被使用')
  })

  it('sends a 401 to the login page, unless the caller handles it', async () => {
    fetchMock.mockResolvedValueOnce(problem(401, { code: 'session_expired', detail: '登录已超时' }))
    const err = await fail(api.get('/api/v1/orgs/1'))
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
    expect(onUnauthorized.mock.calls[0]![0].code).toBe('session_expired')
    expect(err.handled).toBe(true)
    expect(showError(err)).toBeUndefined()

    fetchMock.mockResolvedValueOnce(problem(401, { code: 'bad_credentials', detail: '用户名或密码错误' }))
    const err2 = await fail(api.post('/api/v1/auth/login', {}, { auth: false }))
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
    expect(err2.handled).toBe(false)
    expect(err2.detail).toBe('用户名或密码错误')
  })

  it('shows 403 details, and a generic message for 5xx and network failures', async () => {
    fetchMock.mockResolvedValueOnce(problem(403, { code: 'forbidden', detail: '您的角色没有此项操作权限' }))
    const e403 = await fail(api.patch('/api/v1/orgs/1', {}))
    expect(e403.handled).toBe(true)
    expect(notify).toHaveBeenLastCalledWith('您的角色没有此项操作权限')

    fetchMock.mockResolvedValueOnce(new Response('<html>Bad Gateway</html>', { status: 502 }))
    const e502 = await fail(api.get('/api/v1/orgs'))
    expect(e502.status).toBe(502)
    expect(e502.handled).toBe(true)
    expect(notify).toHaveBeenLastCalledWith(SERVER_ERROR)

    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    const e0 = await fail(api.get('/api/v1/orgs'))
    expect(e0.status).toBe(0)
    expect(notify).toHaveBeenLastCalledWith(NETWORK_ERROR)
  })

  it('leaves 409 to the caller with the server detail and extra fields', async () => {
    fetchMock.mockResolvedValueOnce(problem(423, { code: 'locked', detail: '账号已锁定', locked_until: '2030-01-01T08:00:00Z' }))
    const err = await fail(api.post('/api/v1/auth/login', {}, { auth: false }))
    expect(err.status).toBe(423)
    expect(err.body.locked_until).toBe('2030-01-01T08:00:00Z')
    expect(err.handled).toBe(false)
  })
})

describe('helpers', () => {
  it('buildURL leaves out empty values and appends to an existing query', () => {
    expect(buildURL('/a', { x: undefined, y: null, z: '' })).toBe('/a')
    expect(buildURL('/a?b=1', { c: 0 })).toBe('/a?b=1&c=0')
  })

  it('reads the download name from Content-Disposition', () => {
    expect(dispositionFilename(`attachment; filename="orgs.xlsx"; filename*=UTF-8''%E7%BB%84%E7%BB%87.xlsx`, 'x')).toBe('组织.xlsx')
    expect(dispositionFilename('attachment; filename="orgs.xlsx"', 'x')).toBe('orgs.xlsx')
    expect(dispositionFilename(null, '名册.xlsx')).toBe('名册.xlsx')
  })
})
