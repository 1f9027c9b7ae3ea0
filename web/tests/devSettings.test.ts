import { describe, expect, it } from 'vitest'
import type { CalendarDay, DevCheck, RulesAnswer } from '@/api/development'
import {
  bodyOf,
  dayBody,
  dayError,
  dayFormOf,
  dayOrigin,
  formOf,
  fromLabel,
  inheritNote,
  levelFrom,
  removeAction,
  sameSettings,
  savedBody,
  settingsErrorProp,
  valueText,
  versionLabel,
  weekday,
  yearKnown,
  NUMBER_FIELDS,
} from '@/views/development/settingsLogic'
import { splitFieldErrors } from '@/api'

const check = (id: string, level: 'block' | 'warn', article: string, source: string): DevCheck => ({ id, title: id, text: '', level, value: 0, unit: '', source, article })
const SRC = '《中国共产党发展党员工作细则》（中办发〔2014〕24号）'
const checks = [check('dev.publicity', 'warn', '细则第十四条', SRC), check('dev.age', 'block', '党章第一条', '《中国共产党章程》')]

// A 支部 under a 党委 that set 7 working days of 公示 and made dev.publicity block; the 支部 has
// its own 6 months before 积极分子.
function answer(): RulesAnswer {
  return {
    org: { id: 9, code: 'C11', name: '某支部', type: 'branch', type_name: '党支部' },
    rule_set: { version: '2014', title: '中国共产党发展党员工作细则', source: SRC, default: true, verified: true, note: '', stages: [], steps: [], checks },
    versions: ['2014', '2026'],
    own: { rule_version: null, publicity_days: null, activist_min_months: 6, pre_review_days: null, levels: { 'dev.age': 'warn' } },
    effective: {
      rule_version: '2014',
      publicity_days: 7,
      activist_min_months: 6,
      pre_review_days: 0,
      levels: { 'dev.publicity': 'block', 'dev.age': 'warn' },
      from: {
        rule_version: '系统默认',
        publicity_days: '中共某县直机关委员会',
        activist_min_months: '本组织',
        pre_review_days: '系统默认（2014年细则未规定）',
        'levels.dev.publicity': '中共某县直机关委员会',
        'levels.dev.age': '本组织',
      },
    },
  }
}

describe('where a value in force comes from', () => {
  it('says 本组织, the organisation above by name, or 系统默认 with its basis', () => {
    expect(fromLabel('本组织')).toEqual({ kind: 'own', text: '本组织' })
    expect(fromLabel('中共某县直机关委员会')).toEqual({ kind: 'parent', text: '中共某县直机关委员会' })
    expect(fromLabel('上级组织')).toEqual({ kind: 'parent', text: '上级组织' })
    expect(fromLabel('系统默认（2014年细则未规定）')).toEqual({ kind: 'default', text: '系统默认（2014年细则未规定）' })
    expect(fromLabel('系统默认', SRC).text).toBe(`系统默认（${SRC}）`)
    expect(fromLabel(undefined).text).toBe('系统默认')
  })

  it('gives a check left at its default level the article and source it comes from', () => {
    const a = answer()
    delete a.effective.from['levels.dev.age']
    expect(levelFrom(a, checks[1]!)).toEqual({ kind: 'default', text: '系统默认（党章第一条｜《中国共产党章程》）' })
    expect(levelFrom(a, checks[0]!)).toEqual({ kind: 'parent', text: '中共某县直机关委员会' })
  })

  it('marks the unverified 2026 revision', () => {
    expect(versionLabel('2014')).toBe('2014 年版')
    expect(versionLabel('2026')).toBe('2026 年修订版（未核实）')
    expect(versionLabel('2026', { version: '2026', verified: false, title: '' })).toBe('2026 年版（未核实）')
  })

  it('writes 0 as 不要求 where 0 means no requirement', () => {
    const months = NUMBER_FIELDS.find((f) => f.key === 'activist_min_months')!
    const publicity = NUMBER_FIELDS.find((f) => f.key === 'publicity_days')!
    expect(valueText(months, 0)).toBe('不要求')
    expect(valueText(months, 6)).toBe('6 个月')
    expect(valueText(publicity, 0)).toBe('0 个工作日')
  })
})

describe('the form and the PUT body', () => {
  it('starts from the own values; an inherited value shows the one in force and is sent as null', () => {
    const f = formOf(answer())
    expect(f.activist_min_months).toEqual({ inherit: false, value: 6 })
    expect(f.publicity_days).toEqual({ inherit: true, value: 7 })
    expect(f.levels).toEqual({ 'dev.publicity': null, 'dev.age': 'warn' })
    expect(bodyOf(f)).toEqual({ rule_version: null, publicity_days: null, activist_min_months: 6, pre_review_days: null, levels: { 'dev.age': 'warn' } })
  })

  it('沿用上级 clears a value and a level; setting one of its own sends it', () => {
    const f = formOf(answer())
    f.activist_min_months.inherit = true
    f.levels['dev.age'] = null
    f.publicity_days.inherit = false
    f.publicity_days.value = 10
    f.levels['dev.publicity'] = 'warn'
    expect(bodyOf(f)).toEqual({ rule_version: null, publicity_days: 10, activist_min_months: null, pre_review_days: null, levels: { 'dev.publicity': 'warn' } })
  })

  it('sends 0 as a value of its own, not as 沿用上级', () => {
    const f = formOf(answer())
    f.pre_review_days.inherit = false
    f.pre_review_days.value = 0
    expect(bodyOf(f).pre_review_days).toBe(0)
  })

  it('tells unsaved changes from the saved settings, whatever the order of the levels', () => {
    const a = answer()
    const f = formOf(a)
    expect(sameSettings(bodyOf(f), savedBody(a))).toBe(true)
    f.rule_version.inherit = false // the value in force, now set here: a change
    expect(sameSettings(bodyOf(f), savedBody(a))).toBe(false)
    expect(sameSettings({ ...bodyOf(formOf(a)), levels: { b: 'warn', a: 'block' } }, { ...bodyOf(formOf(a)), levels: { a: 'block', b: 'warn' } })).toBe(true)
  })

  it('says what an inherited value will be', () => {
    const a = answer()
    expect(inheritNote(a, 'publicity_days')).toBe('沿用：中共某县直机关委员会')
    expect(inheritNote(a, 'activist_min_months')).toBe('保存后沿用上级组织或系统默认的设置')
  })

  it('puts a refusal on its field, a level refusal on its check', () => {
    const split = splitFieldErrors(
      [
        { field: 'publicity_days', message: '公示工作日数应在 0 到 30 之间' },
        { field: 'levels.dev.age', message: '处理方式应为 block（阻止保存）或 warn（提示）' },
        { field: 'org', message: '请选择组织' },
      ],
      settingsErrorProp(checks),
    )
    expect(split.fields).toEqual({ publicity_days: '公示工作日数应在 0 到 30 之间', 'levels.dev.age': '处理方式应为 block（阻止保存）或 warn（提示）' })
    expect(split.rest).toEqual(['请选择组织'])
  })
})

describe('the working-day calendar', () => {
  const builtin: CalendarDay = { day: '2026-10-05', kind: 'holiday', name: '国庆节', source: '国办通知', edited: false }
  const corrected: CalendarDay = { ...builtin, day: '2026-10-06', name: '国庆节（更正）', edited: true, replaces: '放假：国庆节' }
  const madeOrdinary: CalendarDay = { ...builtin, kind: 'normal', edited: true, replaces: '放假：国庆节' }
  const added: CalendarDay = { day: '2027-01-01', kind: 'holiday', name: '元旦', source: '2027 通知', edited: true }

  it('deletes an added day, reverts an edit of a built-in day, makes a built-in day ordinary', () => {
    expect(removeAction(added)).toMatchObject({ how: 'revert', label: '删除' })
    expect(removeAction(corrected)).toMatchObject({ how: 'revert', label: '撤销修改' })
    expect(removeAction(madeOrdinary).how).toBe('revert')
    expect(removeAction(builtin)).toMatchObject({ how: 'normal', label: '删除' })
    expect(removeAction(builtin).confirm).toContain('按平常星期计算')
  })

  it('says where a day comes from', () => {
    expect(dayOrigin(builtin)).toBe('内置（国务院办公厅通知）')
    expect(dayOrigin(corrected)).toBe('本系统修改（原为放假：国庆节）')
    expect(dayOrigin(added)).toBe('本系统录入')
  })

  it('has no calendar for a year with no holiday or 调休 (counting falls back to Monday–Friday)', () => {
    expect(yearKnown([])).toBe(false)
    expect(yearKnown([madeOrdinary])).toBe(false)
    expect(yearKnown([builtin])).toBe(true)
  })

  it('fills the day dialog and its body', () => {
    expect(dayFormOf(null)).toEqual({ day: '', kind: 'holiday', name: '', source: '' })
    expect(dayFormOf(corrected)).toEqual({ day: '2026-10-06', kind: 'holiday', name: '国庆节（更正）', source: '国办通知' })
    expect(dayBody({ day: '2027-02-06', kind: 'workday', name: ' 春节调休上班 ', source: ' 通知 ' })).toEqual({ kind: 'workday', name: '春节调休上班', source: '通知' })
    expect(dayError({ day: '', kind: 'holiday', name: '', source: '' })).toBe('请选择日期')
    expect(dayError({ day: '2027-02-06', kind: 'holiday', name: '', source: '' })).toBe('')
  })

  it('names the weekday', () => {
    expect(weekday('2026-10-05')).toBe('星期一')
    expect(weekday('2026-10-10')).toBe('星期六')
  })
})
