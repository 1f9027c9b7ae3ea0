// 党费 API (internal/dues): types and calls. Amounts are integer 分 everywhere; the pages format
// them with utils/dues.ts.

import { api, download, upload, type Query } from '@/api'

export type DuesCategory = 'salaried' | 'annual_salary' | 'self_employed' | 'retired' | 'farmer' | 'student_etc' | 'reduced' | 'exempt'
export type MonthStatus = 'paid' | 'unpaid' | 'partial' | 'over' | 'exempt' | 'no_standard' | 'not_due'
export type PayMethod = 'cash' | 'transfer' | 'online'
export type PayKind = 'payment' | 'voluntary' | 'correction' | 'refund'

export interface DuesOption {
  code: string
  name: string
}

export interface DuesRule {
  id: string
  title: string
  text: string
  level: string
  value: number
  unit: string
  source: string
}

export interface Bracket {
  up_to_fen: number
  rate_bp: number
  text: string
  rule_id: string
}

export interface CategoryRule {
  category: DuesCategory
  name: string
  kind: 'rate' | 'fixed' | 'approved'
  base_name: string
  brackets: Bracket[] | null
  min_fen: number
  max_fen: number
  rule_id: string
  source: string
}

export interface RateTable {
  version: string
  effective_from: string
  source: string
  categories: CategoryRule[]
}

export interface DuesSettings {
  deduct_income_tax: boolean
  deduct_social_insurance: boolean
  deduct_housing_fund: boolean
  allow_quarterly: boolean
  back_pay_limit: number
  member_reminders: boolean
}

export interface DuesMeta {
  tables: RateTable[]
  current: string
  categories: DuesOption[]
  methods: DuesOption[]
  kinds: DuesOption[]
  statuses: DuesOption[]
  rules: DuesRule[] | null
  defaults: DuesSettings
  rounding: string
}

export interface WageItem {
  name: string
  fen: number
}

export interface BaseItems {
  wages: WageItem[]
  income_tax_fen: number
  social_insurance_fen: number
  housing_fund_fen: number
}

export interface CalcAnswer {
  category: DuesCategory
  category_name: string
  base_fen: number
  rate_bp: number
  monthly_fen: number
  bracket: string
  basis: string
  rule_id: string
  source: string
  version: string
  rounding: string
  base_formula: string
  formula_text: string
}

export interface Standard {
  id: number
  member_id: number
  effective_month: string
  category: DuesCategory
  category_name: string
  base_fen: number
  base_items: BaseItems | null
  base_formula: string
  fixed_fen: number
  rate_bp: number
  monthly_fen: number
  rate_version: string
  bracket: string
  basis: string
  rule_source: string
  approval_body: string
  approval_doc: string
  note: string
  source: string
  superseded_at: string | null
  created_by: string
  created_at: string
}

export interface Payment {
  id: number
  member_id: number
  member_name: string
  org_id: number
  month: string
  due_fen: number
  paid_fen: number
  paid_on: string
  method: PayMethod
  method_name: string
  payer: string
  receipt_no: string
  kind: PayKind
  kind_name: string
  corrects_id: number | null
  to_centre: boolean
  approval_note: string
  source: string
  note: string
  created_by: string
  created_at: string
}

export interface MonthState {
  month: string
  due_fen: number | null
  paid_fen: number
  status: MonthStatus
  status_name: string
  reason?: string
  standard: Standard | null
  rate_bp: number
  basis: string
  closed: boolean
  entries: Payment[] | null
}

export interface DuesMemberRef {
  id: number
  name: string
  org_id: number
  org_name: string
  joined_on: string
  full_on: string | null
  status: string
  status_on: string | null
  job: string
}

export interface LedgerRow extends MonthState {
  member: DuesMemberRef
  last_paid_on: string
  method: string
  payer: string
  receipt_no: string
}

export interface DuesOrgRef {
  id: number
  code: string
  name: string
  type: string
  type_name: string
}

export interface Totals {
  members: number
  paying_members: number
  due_fen: number
  paid_fen: number
  by_status: Record<string, number> | null
}

export interface MonthClose {
  org_id: number
  month: string
  closed_at: string
  closed_by: string
  members: number
  paying_members: number
  due_fen: number
  paid_fen: number
}

export interface Ledger {
  org: DuesOrgRef
  month: string
  rows: LedgerRow[] | null
  totals: Totals
  close: MonthClose | null
  settings: DuesSettings
  rounding: string
}

export interface MemberDues {
  member: DuesMemberRef
  standards: Standard[] | null
  current: Standard | null
  months: MonthState[] | null
  unpaid: string[] | null
  owed_fen: number
  reminder: string
  settings: DuesSettings
}

export interface PaymentInput {
  member_id: number
  months: string[]
  kind?: 'payment' | 'voluntary' | 'correction'
  amount_fen?: number | null
  paid_on?: string | null
  method: PayMethod
  payer?: string
  receipt_no?: string
  approval_note?: string
  note?: string
}

export interface PaymentResult {
  entries: Payment[]
  total_fen: number
  to_centre: boolean
  notice: string
}

export interface StandardInput {
  from: string
  category: DuesCategory
  base_fen?: number
  items?: BaseItems | null
  fixed_fen?: number
  approval_body?: string
  approval_doc?: string
  note?: string
}

export interface CorrectInput {
  kind: 'correction' | 'refund'
  amount_fen: number
  paid_on?: string | null
  method?: string
  receipt_no?: string
  note: string
}

export interface Arrear {
  member: DuesMemberRef
  months: number
  since: string
  owed_fen: number
  last_paid: string | null
  level: 3 | 5 | 6
  reminder: string
  rule_id: string
}

export interface ArrearsAnswer {
  org: DuesOrgRef
  as_of: string
  addressed_to: string
  items: Arrear[] | null
  total: number
  page: number
  page_size: number
  rules: Record<string, DuesRule> | null
  counts: { three: number; five: number; six: number }
  no_standard: number
}

export interface Figures {
  due_fen: number
  paid_fen: number
  voluntary_fen: number
  to_centre_fen: number
  members: number
  paying_members: number
  arrears_members: number
}

export interface ReportRow extends Figures {
  org: DuesOrgRef
  self: boolean
}

export interface MonthFigures {
  month: string
  due_fen: number
  paid_fen: number
}

export interface Remittance {
  base_fen: number
  rate_bp: number
  centre_fen: number
  to_centre_fen: number
  total_fen: number
  deadline: string
  text: string
  source: string
}

export interface DuesReport {
  org: DuesOrgRef
  year: number
  month: string | null
  period: string
  rows: ReportRow[] | null
  total: Figures
  months: MonthFigures[] | null
  remittance: Remittance | null
  note: string
}

export interface SettingsAnswer {
  org: DuesOrgRef
  effective: DuesSettings
  own: { [K in keyof DuesSettings]: DuesSettings[K] | null } & { org_id: number }
  from: Record<string, string>
  formula_text: string
}

export interface DuesImportError {
  row: number
  column: string
  message: string
}

export interface DuesImportResult {
  ok: boolean
  rows: number
  saved: number
  errors: DuesImportError[] | null
  summary: string
}

export interface Publication {
  org: DuesOrgRef
  year: number
  usage: string[] | null
  paid_fen: number
  handed_fen: number
}

export const duesApi = {
  meta: () => api.get<DuesMeta>('/api/v1/dues/meta'),
  calculate: (body: { category: DuesCategory; base_fen?: number; fixed_fen?: number; items?: BaseItems | null; org_id?: number; month?: string }, signal?: AbortSignal) =>
    api.post<CalcAnswer>('/api/v1/dues/calculate', body, { signal }),
  settings: (org: number) => api.get<SettingsAnswer>('/api/v1/dues/settings', { org }),
  saveSettings: (body: Record<string, unknown>) => api.put<SettingsAnswer>('/api/v1/dues/settings', body),
  member: (id: number) => api.get<MemberDues>(`/api/v1/dues/members/${id}`),
  setStandard: (id: number, body: StandardInput) => api.post<Standard>(`/api/v1/dues/members/${id}/standards`, body),
  ledger: (org: number, month: string) => api.get<Ledger>('/api/v1/dues/ledger', { org, month }),
  pay: (body: PaymentInput) => api.post<PaymentResult>('/api/v1/dues/payments', body),
  correct: (id: number, body: CorrectInput) => api.post<Payment>(`/api/v1/dues/payments/${id}/correct`, body),
  close: (org: number, month: string) => api.post<MonthClose>('/api/v1/dues/close', { org_id: org, month }),
  arrears: (org: number, page = 1, pageSize = 200) => api.get<ArrearsAnswer>('/api/v1/dues/arrears', { org, page, page_size: pageSize }),
  report: (query: Query) => api.get<DuesReport>('/api/v1/dues/report', query),
  exportReport: (query: Query, name: string) => download('/api/v1/dues/report/export', query, name),
  publication: (org: number, year: number) => api.get<Publication>('/api/v1/dues/publication', { org, year, format: 'json' }),
  publicationURL: (org: number, year: number) => `/api/v1/dues/publication?org=${org}&year=${year}`,
  saveUsage: (org: number, year: number, lines: string[]) => api.put<Publication>('/api/v1/dues/publication', { org_id: org, year, lines }),
  importStandards: (org: number, file: File) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return upload<DuesImportResult>('/api/v1/dues/standards/import', form, { query: { org } })
  },
  importPayments: (org: number, file: File, method: PayMethod) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return upload<DuesImportResult>('/api/v1/dues/payments/import', form, { query: { org, method } })
  },
  mine: () => api.get<MemberDues>('/api/v1/me/dues'),
}
