// The one HTTP client of the UI: JSON over fetch with the session cookie, the CSRF header on
// writes, and the server's problem+json errors turned into ApiError. Errors every page handles
// the same way (401, 403, 5xx, network) are shown here and marked `handled`; the rest (404, 409,
// 422, …) are left to the caller, usually through showError() or a form's field errors.

import type {
  ChangeRequest,
  HistoryKind,
  ImportResult,
  Member,
  MemberDetail,
  MemberInput,
  MemberMetaAnswer,
  MemberStats,
  MemberHistory,
  Page,
  SelfChangeAnswer,
  SelfRecord,
} from './types'

export interface FieldError {
  field: string
  message: string
}

export interface Problem {
  type?: string
  title?: string
  status?: number
  code?: string
  detail?: string
  errors?: FieldError[]
  [key: string]: unknown
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly title: string
  readonly detail: string
  readonly errors: FieldError[]
  readonly body: Problem
  /** true when the client already told the user (message box, redirect to login). */
  handled = false

  constructor(status: number, body: Problem) {
    const detail = body.detail || body.title || defaultDetail(status)
    super(detail)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code || ''
    this.title = body.title || ''
    this.detail = detail
    this.errors = Array.isArray(body.errors) ? body.errors : []
    this.body = body
  }
}

export const NETWORK_ERROR = '无法连接服务器，请检查网络后重试'
export const SERVER_ERROR = '服务器出错了，请稍后重试；如持续出现请联系系统管理员'

function defaultDetail(status: number): string {
  if (status === 0) return NETWORK_ERROR
  if (status >= 500) return SERVER_ERROR
  switch (status) {
    case 400:
      return '请求有误'
    case 401:
      return '请先登录'
    case 403:
      return '您没有此项操作权限'
    case 404:
      return '未找到，可能已被删除'
    case 409:
      return '操作冲突，请刷新后重试'
    case 413:
      return '文件过大，超过了服务器允许的大小'
    case 422:
      return '请检查标红的字段'
    case 423:
      return '账号已锁定'
    case 429:
      return '请求过于频繁，请稍后再试'
  }
  return `请求失败（${status}）`
}

type Notify = (message: string) => void

interface Config {
  /** The current CSRF token (from the login answer or /me). */
  csrfToken: () => string
  /** Called on a 401 from any request not marked `auth: false`. */
  onUnauthorized: (err: ApiError) => void
  /** Shows an error message to the user. */
  notifyError: Notify
}

const config: Config = {
  csrfToken: () => '',
  onUnauthorized: () => {},
  notifyError: (m) => console.error(m),
}

export function configureApi(c: Partial<Config>) {
  Object.assign(config, c)
}

export type QueryValue = string | number | boolean | null | undefined
export type Query = Record<string, QueryValue>

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** false: a 401 is the caller's business (login, the first /me), no redirect to /login. */
  auth?: boolean
  signal?: AbortSignal
}

/** Builds path?query, leaving out empty values. */
export function buildURL(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    if (typeof v === 'boolean') params.set(k, v ? '1' : '0')
    else params.set(k, String(v))
  }
  const s = params.toString()
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path
}

async function readProblem(res: Response): Promise<Problem> {
  const text = await res.text().catch(() => '')
  if (text) {
    try {
      const body = JSON.parse(text)
      if (body && typeof body === 'object') return body as Problem
    } catch {
      /* not JSON (a proxy's HTML page): fall through */
    }
  }
  return { status: res.status }
}

/** Applies the client-wide handling and marks the error handled when the user was told. */
export function handleGlobally(err: ApiError, opts: { auth?: boolean } = {}): ApiError {
  if (err.status === 0 || err.status >= 500) {
    config.notifyError(err.status === 0 ? NETWORK_ERROR : SERVER_ERROR)
    err.handled = true
  } else if (err.status === 401 && opts.auth !== false) {
    config.onUnauthorized(err)
    err.handled = true
  } else if (err.status === 403) {
    config.notifyError(err.detail)
    err.handled = true
  }
  return err
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  let body: BodyInit | undefined
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const token = config.csrfToken()
    if (token) headers['X-CSRF-Token'] = token
  }
  let res: Response
  try {
    res = await fetch(buildURL(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    })
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw handleGlobally(new ApiError(0, {}), opts)
  }
  if (!res.ok) {
    throw handleGlobally(new ApiError(res.status, await readProblem(res)), opts)
  }
  if (res.status === 204) return undefined as T
  const text = await res.text()
  return (text ? JSON.parse(text) : undefined) as T
}

export const api = {
  get: <T>(path: string, query?: Query, opts: RequestOptions = {}) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  del: <T = void>(path: string) => request<T>('DELETE', path),
}

/** Shows an error the client did not already show. Returns the message shown, if any. */
export function showError(e: unknown): string | undefined {
  if (e instanceof ApiError) {
    if (e.handled) return undefined
    let msg = e.detail
    const list = e.errors.map((f) => f.message)
    if (list.length > 0 && !list.includes(msg)) msg = list.join('；')
    config.notifyError(msg)
    return msg
  }
  if (e instanceof DOMException && e.name === 'AbortError') return undefined
  const msg = e instanceof Error ? e.message : String(e)
  config.notifyError(msg)
  return msg
}

/** Turns a server field path (units[0], leaders[1].name) into a form prop path (units.0, leaders.1.name). */
export function normalizeField(field: string): string {
  return field.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '')
}

export interface SplitErrors {
  /** message per form prop that the form has */
  fields: Record<string, string>
  /** messages for fields the form does not show */
  rest: string[]
}

/**
 * Maps a 422's errors onto the props a form has. A field the form does not have is tried
 * without its trailing parts (units.0 → units); what still matches nothing goes to `rest`.
 */
export function splitFieldErrors(errors: FieldError[], known: Iterable<string> | ((prop: string) => boolean)): SplitErrors {
  const has = typeof known === 'function' ? known : ((set) => (p: string) => set.has(p))(new Set(known))
  const out: SplitErrors = { fields: {}, rest: [] }
  for (const e of errors) {
    let prop = normalizeField(e.field || '')
    while (prop && !has(prop)) {
      const i = prop.lastIndexOf('.')
      prop = i < 0 ? '' : prop.slice(0, i)
    }
    if (prop) {
      out.fields[prop] = out.fields[prop] ? `${out.fields[prop]}；${e.message}` : e.message
    } else {
      out.rest.push(e.message)
    }
  }
  return out
}

/** The file name from a Content-Disposition header (RFC 5987 filename* first). */
export function dispositionFilename(header: string | null, fallback: string): string {
  if (!header) return fallback
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim().replace(/^"|"$/g, ''))
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header)
  return plain ? plain[1]!.trim() : fallback
}

/** Downloads a file (GET) with the session cookie and saves it under the server's name. */
export async function download(path: string, query: Query | undefined, fallbackName: string): Promise<void> {
  let res: Response
  try {
    res = await fetch(buildURL(path, query), { credentials: 'same-origin' })
  } catch {
    throw handleGlobally(new ApiError(0, {}))
  }
  if (!res.ok) throw handleGlobally(new ApiError(res.status, await readProblem(res)))
  saveBlob(await res.blob(), dispositionFilename(res.headers.get('Content-Disposition'), fallbackName))
}

/** Saves a blob under a file name (the browser's download). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** A base64 string (as a JSON answer carries a file) as a Blob. */
export function base64ToBlob(b64: string, type = XLSX_TYPE): Blob {
  const bin = atob(b64.replace(/^data:[^,]*,/, '').replace(/\s+/g, ''))
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return new Blob([bytes], { type })
}

export interface UploadOptions {
  query?: Query
  /** 0–100 while the file is being sent */
  onProgress?: (percent: number) => void
  signal?: AbortSignal
}

/**
 * POSTs a multipart form with XMLHttpRequest, which (unlike fetch) reports upload progress.
 * Errors are the same ApiError as request()'s, handled the same way.
 */
export function upload<T>(path: string, form: FormData, opts: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', buildURL(path, opts.query))
    xhr.setRequestHeader('Accept', 'application/json')
    const token = config.csrfToken()
    if (token) xhr.setRequestHeader('X-CSRF-Token', token)
    xhr.withCredentials = true
    if (opts.onProgress) {
      const report = opts.onProgress
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) report(Math.min(100, Math.round((e.loaded / e.total) * 100)))
      }
      xhr.upload.onload = () => report(100)
    }
    const onAbort = () => xhr.abort()
    opts.signal?.addEventListener('abort', onAbort)
    const done = () => opts.signal?.removeEventListener('abort', onAbort)
    xhr.onload = () => {
      done()
      const text = xhr.responseText
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve((text ? JSON.parse(text) : undefined) as T)
        } catch {
          reject(handleGlobally(new ApiError(502, {})))
        }
        return
      }
      let body: Problem = { status: xhr.status }
      try {
        const parsed = text ? JSON.parse(text) : null
        if (parsed && typeof parsed === 'object') body = parsed as Problem
      } catch {
        /* not JSON (a proxy's 413 page) */
      }
      reject(handleGlobally(new ApiError(xhr.status, body)))
    }
    xhr.onerror = () => {
      done()
      reject(handleGlobally(new ApiError(0, {})))
    }
    xhr.onabort = () => {
      done()
      reject(new DOMException('上传已取消', 'AbortError'))
    }
    xhr.send(form)
  })
}

// ---- Member registry (党员信息库), docs/api.md "Members" ----

export interface HistoryInput {
  kind: HistoryKind
  started_on: string | null
  ended_on: string | null
  title: string
  detail: string
}

export const memberApi = {
  meta: () => api.get<MemberMetaAnswer>('/api/v1/members/meta'),
  list: (query: Query) => api.get<Page<Member>>('/api/v1/members', query),
  /** reveal: the full ID number, phone and address (pii.read; the server audits it). */
  get: (id: number, reveal = false) => api.get<MemberDetail>(`/api/v1/members/${id}`, reveal ? { reveal: 1 } : undefined),
  create: (body: MemberInput) => api.post<MemberDetail>('/api/v1/members', body),
  /** PATCH: absent fields stay; an empty string clears a date or a text. */
  update: (id: number, patch: Record<string, unknown> & { version: number }) => api.patch<MemberDetail>(`/api/v1/members/${id}`, patch),
  move: (ids: number[], orgId: number, on?: string | null, note?: string) =>
    api.post<{ moved: number }>('/api/v1/members/move', { ids, org_id: orgId, on: on || null, note: note ?? '' }),
  addHistory: (id: number, body: HistoryInput) => api.post<MemberHistory>(`/api/v1/members/${id}/history`, body),
  template: () => download('/api/v1/members/template', undefined, '党员花名册导入模板.xlsx'),
  /** Uploads a roster; dryRun only checks it. A 422 carries the row errors (ImportProblem). */
  importFile: (orgId: number, file: File, dryRun: boolean, onProgress?: (p: number) => void, signal?: AbortSignal) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return upload<ImportResult>('/api/v1/members/import', form, { query: { org: orgId, dry_run: dryRun ? 1 : undefined }, onProgress, signal })
  },
  exportFile: (query: Query, name: string) => download('/api/v1/members/export', query, name),
  stats: (orgId: number) => api.get<MemberStats>('/api/v1/stats/members', { org: orgId }),
  exportStats: (orgId: number, name: string) => download('/api/v1/stats/members/export', { org: orgId }, name),
  self: () => api.get<SelfRecord>('/api/v1/me/member'),
  /** The changed fields flat, with a note for the branch (说明). */
  requestChanges: (changes: Record<string, unknown>, note = '') => api.post<SelfChangeAnswer>('/api/v1/me/member/changes', { ...changes, note }),
  changeRequests: (query: Query) => api.get<{ items: ChangeRequest[] | null; total?: number }>('/api/v1/member-changes', query),
  approve: (id: number, note = '') => api.post<ChangeRequest>(`/api/v1/member-changes/${id}/approve`, { note }),
  reject: (id: number, note: string) => api.post<ChangeRequest>(`/api/v1/member-changes/${id}/reject`, { note }),
}
