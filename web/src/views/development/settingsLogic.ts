// 发展党员设置: the local rules of an organisation (its own values over what it inherits) and the
// working-day calendar. Pure functions, so that the page stays thin and the tests can hold
// the rules of the form: what "沿用上级" sends, where a value in force comes from.

import type { CalendarDay, CalendarInput, DevCheck, DevSettings, RuleLevel, RulesAnswer } from '@/api/development'
import { basisLine } from './logic'

export type NumberKey = 'publicity_days' | 'activist_min_months' | 'pre_review_days'
export type SettingKey = 'rule_version' | NumberKey

export interface NumberField {
  key: NumberKey
  label: string
  unit: string
  min: number
  max: number
  /** what 0 means, when it means "not required" */
  zero?: string
  hint: string
}

/** The numeric settings, with the bounds the server checks (internal/development/settings.go). */
export const NUMBER_FIELDS: NumberField[] = [
  { key: 'publicity_days', label: '发展对象公示', unit: '个工作日', min: 0, max: 30, hint: '确定发展对象前公示的工作日数；按工作日历计，节假日不计。' },
  {
    key: 'activist_min_months',
    label: '申请至确定积极分子',
    unit: '个月',
    min: 0,
    max: 24,
    zero: '不要求',
    hint: '递交入党申请书后至少满几个月才能确定为入党积极分子。全国细则未规定，一些地方要求 6 个月。',
  },
  {
    key: 'pre_review_days',
    label: '预审后召开支部大会',
    unit: '天内',
    min: 0,
    max: 365,
    zero: '不要求',
    hint: '上级党委预审合格后多少天内提交支部大会讨论。2014 年细则未规定，常见本地要求 30 天。',
  },
]

export const SETTING_LABELS: Record<SettingKey, string> = {
  rule_version: '执行的规则版本',
  publicity_days: '发展对象公示',
  activist_min_months: '申请至确定积极分子',
  pre_review_days: '预审后召开支部大会',
}

export type FromKind = 'own' | 'parent' | 'default'
export interface FromLabel {
  kind: FromKind
  text: string
}

/**
 * Where a value in force comes from, as the server's `from` says it: 本组织, the name of the
 * organisation above that set it (or 上级组织 when it is outside the caller's view), or 系统默认
 * with its basis. basis is added to a bare 系统默认 (a check's article and source).
 */
export function fromLabel(raw: string | undefined | null, basis = ''): FromLabel {
  const s = (raw ?? '').trim()
  if (s === '本组织') return { kind: 'own', text: '本组织' }
  if (s === '' || s.startsWith('系统默认')) {
    if ((s === '' || s === '系统默认') && basis) return { kind: 'default', text: `系统默认（${basis}）` }
    return { kind: 'default', text: s || '系统默认' }
  }
  return { kind: 'parent', text: s }
}

/** A check's level in force and where it comes from. */
export function levelFrom(a: Pick<RulesAnswer, 'effective'>, c: Pick<DevCheck, 'id' | 'article' | 'source'>): FromLabel {
  return fromLabel(a.effective.from[`levels.${c.id}`], basisLine(c))
}

export const LEVEL_NAMES: Record<RuleLevel, string> = { block: '阻止保存', warn: '仅提示', info: '提醒' }
export const LEVEL_HELP =
  '“阻止保存”：不符合该规则的步骤不能登记，并说明违反的规则和条款；“仅提示”：可以登记，但在档案上标出提示，由经办人核对后负责。'

/** The label of a rule version; versions whose text has not been verified say so. */
export function versionLabel(v: string, inForce?: { version: string; verified: boolean; title: string }): string {
  if (inForce && inForce.version === v) return `${v} 年版${inForce.verified ? '' : '（未核实）'}`
  return v === '2014' ? '2014 年版' : `${v} 年修订版（未核实）`
}

/** One value of the form: either inherited (sent as null) or the organisation's own. */
export interface Own<T> {
  inherit: boolean
  value: T
}

export interface SettingsForm {
  rule_version: Own<string>
  publicity_days: Own<number>
  activist_min_months: Own<number>
  pre_review_days: Own<number>
  /** per check: null inherits, else the organisation's own level */
  levels: Record<string, 'block' | 'warn' | null>
}

/** The form for an answer: own values where set, the value in force as the start of an inherited one. */
export function formOf(a: RulesAnswer): SettingsForm {
  const own = a.own
  const eff = a.effective
  const levels: SettingsForm['levels'] = {}
  for (const c of a.rule_set.checks ?? []) {
    const l = own.levels?.[c.id]
    levels[c.id] = l === 'block' || l === 'warn' ? l : null
  }
  return {
    rule_version: { inherit: own.rule_version == null, value: own.rule_version ?? eff.rule_version },
    publicity_days: { inherit: own.publicity_days == null, value: own.publicity_days ?? eff.publicity_days },
    activist_min_months: { inherit: own.activist_min_months == null, value: own.activist_min_months ?? eff.activist_min_months },
    pre_review_days: { inherit: own.pre_review_days == null, value: own.pre_review_days ?? eff.pre_review_days },
    levels,
  }
}

/** The PUT /development/settings body: inherited values as null, only the levels set here. */
export function bodyOf(f: SettingsForm): DevSettings {
  const levels: Record<string, RuleLevel> = {}
  for (const [id, l] of Object.entries(f.levels)) if (l) levels[id] = l
  const v = <T>(o: Own<T>): T | null => (o.inherit ? null : o.value)
  return {
    rule_version: v(f.rule_version),
    publicity_days: v(f.publicity_days),
    activist_min_months: v(f.activist_min_months),
    pre_review_days: v(f.pre_review_days),
    levels,
  }
}

/** The body the organisation has saved, in the same shape as bodyOf (to tell unsaved changes). */
export function savedBody(a: RulesAnswer): DevSettings {
  return bodyOf(formOf(a))
}

export function sameSettings(x: DevSettings, y: DevSettings): boolean {
  const norm = (s: DevSettings) => {
    const levels = Object.entries(s.levels ?? {}).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0))
    return JSON.stringify([s.rule_version, s.publicity_days, s.activist_min_months, s.pre_review_days, levels])
  }
  return norm(x) === norm(y)
}

/** "沿用上级" on a value: nothing of its own is sent; what will be in force is known after saving. */
export function inheritNote(a: RulesAnswer, key: SettingKey): string {
  const from = fromLabel(a.effective.from[key])
  if (from.kind === 'own') return '保存后沿用上级组织或系统默认的设置'
  return `沿用：${from.text}`
}

/** Props of the form a 422 may name: the settings and each level (levels.<rule id>). */
export function settingsErrorProp(checks: Pick<DevCheck, 'id'>[]): (prop: string) => boolean {
  const known = new Set<string>(['rule_version', 'publicity_days', 'activist_min_months', 'pre_review_days', ...checks.map((c) => `levels.${c.id}`)])
  return (p) => known.has(p)
}

/** A value in force as the page shows it: 5 个工作日, 不要求 … */
export function valueText(f: NumberField, v: number): string {
  if (v === 0 && f.zero) return f.zero
  return `${v} ${f.unit}`
}

// ---- The working-day calendar ----

export const KIND_NAMES: Record<CalendarDay['kind'], string> = { holiday: '法定节假日', workday: '调休上班日', normal: '已改为平常' }
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六']

/** 星期几 of a YYYY-MM-DD date. */
export function weekday(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day)
  if (!m) return ''
  return '星期' + WEEKDAYS[new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay()]
}

/** A year has a calendar when some day of it is a holiday or a 调休 workday. */
export function yearKnown(days: CalendarDay[]): boolean {
  return days.some((d) => d.kind === 'holiday' || d.kind === 'workday')
}

export function calendarSummary(days: CalendarDay[]): string {
  const h = days.filter((d) => d.kind === 'holiday').length
  const w = days.filter((d) => d.kind === 'workday').length
  return `放假 ${h} 天，调休上班 ${w} 天`
}

/** Where a day comes from: the built-in notice, or an edit here (and what it replaced). */
export function dayOrigin(d: CalendarDay): string {
  if (!d.edited) return '内置（国务院办公厅通知）'
  return d.replaces ? `本系统修改（原为${d.replaces}）` : '本系统录入'
}

export interface RemoveAction {
  /** revert: DELETE the edit; normal: PUT kind normal over a built-in day */
  how: 'revert' | 'normal'
  label: string
  confirm: string
}

/**
 * What "删除" does to a day: an edit is taken back (DELETE: the built-in arrangement it
 * replaced comes back, or the ordinary week); a built-in day is made ordinary (PUT normal).
 */
export function removeAction(d: CalendarDay): RemoveAction {
  if (d.edited && d.replaces) {
    return { how: 'revert', label: '撤销修改', confirm: `撤销对 ${d.day} 的修改，恢复为内置的“${d.replaces}”？` }
  }
  if (d.edited) {
    return { how: 'revert', label: '删除', confirm: `删除 ${d.day}（${d.name || KIND_NAMES[d.kind]}）？删除后这一天按平常星期计算（周一至周五上班）。` }
  }
  return {
    how: 'normal',
    label: '删除',
    confirm: `${d.day} 是内置的“${d.name}”（${d.source}）。删除后这一天按平常星期计算（周一至周五上班），以后可撤销。`,
  }
}

export interface DayForm {
  day: string
  kind: 'holiday' | 'workday'
  name: string
  source: string
}

/** The dialog's form for a day (a new one defaults to a holiday). */
export function dayFormOf(d: CalendarDay | null): DayForm {
  if (!d || d.kind === 'normal') return { day: d?.day ?? '', kind: 'holiday', name: '', source: d?.source ?? '' }
  return { day: d.day, kind: d.kind, name: d.name, source: d.source }
}

export function dayBody(f: DayForm): CalendarInput {
  return { kind: f.kind, name: f.name.trim(), source: f.source.trim() }
}

/** The day field's own check (the server checks kind and source). */
export function dayError(f: DayForm): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(f.day) ? '' : '请选择日期'
}
