import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api'
import type { DevCase, DevRuleSet, DevStep, StepRecord } from '@/api/development'
import {
  addMonths,
  basisLine,
  buildTimeline,
  conflictText,
  docLines,
  dueView,
  groupByPhase,
  peopleError,
  profileBody,
  refusalOf,
  stepFormSpec,
  voteHint,
} from '@/views/development/logic'

// The 2014 flow, as GET /development/rules sends it (codes, stages, repeatable steps).
const STAGES = [
  { code: '1', name: '申请入党' },
  { code: '2', name: '入党积极分子的确定和培养教育' },
  { code: '3', name: '发展对象的确定和考察' },
  { code: '4', name: '预备党员的接收' },
  { code: '5', name: '预备党员的教育考察和转正' },
]
const STAGE_OF = ['1', '1', '2', '2', '2', '2', '3', '3', '3', '3', '3', '4', '4', '4', '4', '4', '4', '4', '5', '5', '5', '5', '5', '5', '5']
const steps: DevStep[] = STAGE_OF.map((stage, i) => {
  const code = `s${String(i + 1).padStart(2, '0')}`
  return { code, seq: i + 1, stage, name: `步骤${i + 1}`, actor: '', actor_level: 'branch', documents: [], rules: [], repeatable: code === 's06' || code === 's21', note: '' }
})
const rs: Pick<DevRuleSet, 'stages' | 'steps'> = { stages: STAGES, steps }

let nextId = 1
function rec(step: string, on: string, data: StepRecord['data'] = {}): StepRecord {
  const id = nextId++
  return { id, seq: id, step, name: step, on, note: '', data, warnings: [], created_by: 'admin', created_at: '2026-01-01T00:00:00Z' }
}
const next = (step: string) => ({ step, name: '', stage: '', actor: '', actor_level: 'branch' as const, not_before: null, due_on: null, limit: null, overdue: false, rule: '', article: '', text: '' })
type CaseLike = Pick<DevCase, 'steps' | 'next' | 'status'>

describe('the board by phase', () => {
  it('always has the five columns in the order of the flow, with the server totals', () => {
    const g = groupByPhase([{ phase: 'activist', id: 1 }, { phase: 'applicant', id: 2 }, { phase: 'activist', id: 3 }], { applicant: 12, activist: 2 })
    expect(g.map((x) => x.label)).toEqual(['申请人', '积极分子', '发展对象', '预备党员', '正式党员'])
    expect(g.map((x) => x.count)).toEqual([12, 2, 0, 0, 0])
    expect(g[1]!.items.map((x) => x.id)).toEqual([1, 3])
  })

  it('adds 取消资格 only when some case is in it', () => {
    expect(groupByPhase([]).map((x) => x.code)).not.toContain('cancelled')
    expect(groupByPhase([{ phase: 'cancelled' }]).map((x) => x.code).at(-1)).toBe('cancelled')
    expect(groupByPhase([], { cancelled: 3 }).at(-1)!.count).toBe(3)
  })
})

describe('the timeline of 25 steps in 5 stages', () => {
  it('groups the steps by stage and marks done, next and later', () => {
    const c: CaseLike = { status: 'open', steps: [rec('s01', '2025-01-10'), rec('s02', '2025-02-01')], next: next('s03') }
    const t = buildTimeline(rs, c)
    expect(t.map((g) => g.steps.length)).toEqual([2, 4, 5, 7, 7])
    expect(t.map((g) => g.ordinal)).toEqual(['第一阶段', '第二阶段', '第三阶段', '第四阶段', '第五阶段'])
    expect(t[0]!.steps.map((s) => s.state)).toEqual(['done', 'done'])
    expect(t[0]!.done).toBe(2)
    expect(t[1]!.steps.map((s) => s.state)).toEqual(['next', 'later', 'later', 'later'])
    expect(t[4]!.steps.every((s) => s.state === 'later')).toBe(true)
  })

  it('keeps every 考察 of a repeatable step and lets it be recorded again until the next step is done', () => {
    const done = ['s01', 's02', 's03', 's04', 's05'].map((s) => rec(s, '2025-01-10'))
    const c: CaseLike = { status: 'open', steps: [...done, rec('s06', '2025-07-01'), rec('s06', '2025-12-20')], next: next('s07') }
    const s06 = buildTimeline(rs, c)[1]!.steps[3]!
    expect(s06.step.code).toBe('s06')
    expect(s06.state).toBe('done')
    expect(s06.records.map((r) => r.on)).toEqual(['2025-07-01', '2025-12-20'])
    expect(s06.canRepeat).toBe(true)
    // the half-year 考察 due before the year is up: the server names s06 as next
    const due = buildTimeline(rs, { ...c, next: next('s06') })[1]!.steps[3]!
    expect(due.state).toBe('next')
    expect(due.records).toHaveLength(2)
    const after = buildTimeline(rs, { ...c, steps: [...c.steps!, rec('s07', '2026-01-20')], next: next('s08') })[1]!.steps[3]!
    expect(after.canRepeat).toBe(false)
  })

  it('sets the 转正 steps aside after a 延长预备期, as the server derives it', () => {
    const before = steps.slice(0, 21).map((s) => rec(s.code, '2025-01-10'))
    const c: CaseLike = {
      status: 'open',
      steps: [...before, rec('s22', '2026-01-01'), rec('s23', '2026-01-10', { outcome: 'extend', extend_months: 6 }), rec('s24', '2026-02-01', { outcome: 'extend', extend_months: 6 })],
      next: next('s22'),
    }
    const last = buildTimeline(rs, c)[4]!.steps
    const byCode = Object.fromEntries(last.map((s) => [s.step.code, s]))
    expect(byCode.s22!.state).toBe('next')
    expect(byCode.s22!.records).toHaveLength(0)
    expect(byCode.s22!.earlier).toHaveLength(1)
    expect(byCode.s23!.state).toBe('later')
    expect(byCode.s24!.earlier[0]!.data.outcome).toBe('extend')
    expect(byCode.s21!.canRepeat).toBe(true)
  })

  it('has no next step on a closed case', () => {
    const t = buildTimeline(rs, { status: 'closed', steps: steps.map((s) => rec(s.code, '2025-01-10')), next: null })
    expect(t.flatMap((g) => g.steps).every((s) => s.state === 'done' && !s.canRepeat)).toBe(true)
  })
})

describe('the 支部大会 vote hint', () => {
  it('asks for the entitled count first', () => {
    const h = voteHint({ entitled: 0, present_entitled: 3, yes: 3 })
    expect(h.ready).toBe(false)
    expect(h.type).toBe('info')
  })

  it('needs more than half of 应到 present and more than half of 应到 in favour', () => {
    expect(voteHint({ entitled: 10, present_entitled: 6, yes: 6, no: 0, abstain: 0 })).toMatchObject({ quorum: true, passed: true, needed: 6, type: 'success' })
    // exactly half is not more than half
    expect(voteHint({ entitled: 10, present_entitled: 5, yes: 5, no: 0, abstain: 0 })).toMatchObject({ quorum: false, passed: false, type: 'warning' })
    // odd numbers: 9 → at least 5
    expect(voteHint({ entitled: 9, present_entitled: 5, yes: 5, no: 0, abstain: 0 })).toMatchObject({ quorum: true, passed: true, needed: 5 })
    // the yes votes count against 应到, not 实到: 6 of 7 present is still short of 11/2
    const h = voteHint({ entitled: 11, present_entitled: 7, yes: 5, no: 1, abstain: 1 })
    expect(h).toMatchObject({ quorum: true, passed: false, needed: 6 })
    expect(h.lines.join('\n')).toContain('至少 6 票')
    expect(h.lines.join('\n')).toContain('不能通过')
  })

  it('points out counts that cannot be', () => {
    const h = voteHint({ entitled: 5, present_entitled: 6, yes: 4, no: 2, abstain: 1 })
    expect(h.consistent).toBe(false)
    expect(h.type).toBe('warning')
    expect(h.lines[0]).toContain('多于应到会的 5 人')
    expect(h.lines[1]).toContain('合计 7 票')
  })
})

describe('how the server’s answers are presented', () => {
  const violation = new ApiError(422, {
    status: 422,
    code: 'rule_violation',
    detail: '培养联系人应为一至两名正式党员，这里填写了 3 名（依据：…）',
    rule: 'dev.contacts',
    article: '细则第九条',
    source: '《中国共产党发展党员工作细则》（2014，中办发〔2014〕33号）第九条',
    message: '培养联系人应为一至两名正式党员，这里填写了 3 名',
    violations: [
      { rule: 'dev.contacts', title: '未关联', article: '细则第九条', source: 'x', message: '“王五”未关联党员名册，系统无法核对其是否为正式党员', level: 'warn' },
      { rule: 'dev.contacts', title: '培养联系人', article: '细则第九条', source: 'x', message: '培养联系人应为一至两名正式党员，这里填写了 3 名', level: 'block' },
      { rule: 'dev.date.future', title: '步骤日期不晚于今天', article: '—（本系统）', source: '本系统', message: '日期晚于今天', level: 'block' },
    ],
  })

  it('turns a refused step into its rule, article and source, the other blocks before the warnings', () => {
    const r = refusalOf(violation)!
    expect(r.message).toBe('培养联系人应为一至两名正式党员，这里填写了 3 名')
    expect(r.title).toBe('培养联系人')
    expect(r.article).toBe('细则第九条')
    expect(basisLine(r)).toBe('《中国共产党发展党员工作细则》（2014，中办发〔2014〕33号）第九条')
    expect(r.others.map((f) => f.level)).toEqual(['block', 'warn'])
  })

  it('leaves field errors and conflicts to their own handling', () => {
    const fields = new ApiError(422, { code: 'invalid', detail: '请填写谈话人', errors: [{ field: 'people', message: '请填写谈话人' }] })
    expect(refusalOf(fields)).toBeNull()
    const stale = new ApiError(409, { code: 'conflict', detail: '该案例已被他人修改（当前版本 4），请刷新后重试' })
    expect(refusalOf(stale)).toBeNull()
    expect(conflictText(stale)).toContain('已被他人修改')
    expect(conflictText(violation)).toBeNull()
    expect(refusalOf(new Error('x'))).toBeNull()
  })

  it('shows the approving 党委 refusal (403 with its rule) like a rule refusal, and not a plain 403', () => {
    const denied = new ApiError(403, {
      code: 'forbidden',
      detail: '“上级党委预审”由具有审批权限的上级党委办理，须由“中共某县直机关委员会”的工作人员登记',
      rule: 'dev.approver',
      article: '细则第二十三条（条号待核）',
      source: '《中国共产党发展党员工作细则》第二十三条',
    })
    const r = refusalOf(denied)!
    expect(r.rule).toBe('dev.approver')
    expect(r.message).toContain('中共某县直机关委员会')
    expect(r.source).toContain('第二十三条')
    expect(refusalOf(new ApiError(403, { code: 'forbidden', detail: '您对“某支部”只有查看权限' }))).toBeNull()
  })

  it('sends only the 党员信息 that was filled in', () => {
    expect(profileBody({ id_number: '', ethnicity: '01', education: ' 21 ', phone: '', address: '  ' })).toEqual({ ethnicity: '01', education: '21' })
  })

  it('writes the basis once when the source already names the article', () => {
    expect(basisLine({ article: '细则第七条', source: '《细则》第七条' })).toBe('《细则》第七条')
    expect(basisLine({ article: '发展党员工作流程图', source: '全国“发展党员工作流程图”' })).toBe('全国“发展党员工作流程图”')
    expect(basisLine({ article: '细则第二十条', source: '本系统' })).toBe('细则第二十条｜本系统')
    expect(basisLine({ article: '', source: '本系统' })).toBe('本系统')
  })
})

describe('due dates', () => {
  const now = new Date(2026, 11, 1)
  it('says late in days, never before it is late', () => {
    expect(dueView({ due_on: '2026-11-21', not_before: null, limit: null }, now)).toMatchObject({ tone: 'late', overdueDays: 10, text: '已逾期 10 天' })
    expect(dueView({ due_on: '2026-12-01', not_before: null, limit: null }, now).tone).toBe('soon')
    expect(dueView({ due_on: '2026-12-10', not_before: null, limit: null }, now).text).toBe('还有 9 天')
    expect(dueView({ due_on: '2027-03-01', not_before: null, limit: '2027-06-01' }, now)).toMatchObject({ tone: 'normal', text: '还有 90 天，最迟不超过 2027-06-01' })
    expect(dueView({ due_on: null, not_before: null, limit: null }, now).tone).toBe('none')
  })
  it('shows a wait (培养一年以上) rather than a due date', () => {
    expect(dueView({ due_on: null, not_before: '2027-01-10', limit: null }, now)).toMatchObject({ tone: 'wait', text: '2027-01-10 后可办（还需 40 天）' })
    expect(dueView({ due_on: null, not_before: '2026-01-10', limit: null }, now).tone).toBe('none')
  })
})

describe('the step form', () => {
  it('asks each step for what it records', () => {
    expect(stepFormSpec('s02').people).toMatchObject({ label: '谈话人', min: 1 })
    expect(stepFormSpec('s05').people).toMatchObject({ label: '培养联系人', min: 1, max: 2 })
    expect(stepFormSpec('s09').people).toMatchObject({ label: '入党介绍人', min: 2, max: 2 })
    expect(stepFormSpec('s15')).toMatchObject({ vote: true, outcome: false })
    expect(stepFormSpec('s23')).toMatchObject({ vote: true, outcome: true, publicity: true })
    expect(stepFormSpec('s17')).toMatchObject({ approver: true, delayReason: true, vote: false })
    expect(stepFormSpec('s14')).toMatchObject({ people: null, vote: false, publicity: false })
  })
  it('checks the number of people', () => {
    const intro = stepFormSpec('s09').people!
    expect(peopleError(intro, ['甲', ''])).toBe('应填写 2 名入党介绍人，现填写 1 名')
    expect(peopleError(intro, ['甲', '乙'])).toBe('')
    const contacts = stepFormSpec('s05').people!
    expect(peopleError(contacts, ['', ''])).toBe('请填写培养联系人')
    expect(peopleError(contacts, ['甲'])).toBe('')
  })
  it('reads documents as lines and adds months as the server does', () => {
    expect(docLines(' 谈话记录 \n\n档号 2026-01\r\n')).toEqual(['谈话记录', '档号 2026-01'])
    expect(addMonths('2026-01-15', 3)).toBe('2026-04-15')
    expect(addMonths('2024-01-31', 1)).toBe('2024-03-02')
  })
})
