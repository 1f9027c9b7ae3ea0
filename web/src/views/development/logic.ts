// Pure helpers of the 发展党员 pages: the phases of the board, the 25 steps grouped by their five
// stages with what is done, next and later, the wording of due dates (late is amber and counts
// the days, never red for its own sake), the 支部大会 quorum/pass hint shown while the counts are
// typed, and the presentation of the server's refusals. The server checks everything again.

import { ApiError } from '@/api'
import type { DevCase, DevCheck, DevPhase, DevRuleSet, DevStage, DevStep, Finding, NextStep, Outcome, PersonRole, Profile, StepRecord, Vote } from '@/api/development'
import type { TagType } from '@/utils/format'
import { daysUntil } from '@/utils/format'

// ---- Phases ----

export interface PhaseInfo {
  code: DevPhase
  /** the column heading of the board */
  label: string
  /** the name the server uses */
  name: string
  tag: TagType
}

/** The five phases of the board, in order; 取消预备党员资格 is shown only when there are such cases. */
export const PHASES: PhaseInfo[] = [
  { code: 'applicant', label: '申请人', name: '入党申请人', tag: 'info' },
  { code: 'activist', label: '积极分子', name: '入党积极分子', tag: 'primary' },
  { code: 'candidate', label: '发展对象', name: '发展对象', tag: 'warning' },
  { code: 'probationary', label: '预备党员', name: '预备党员', tag: 'danger' },
  { code: 'full', label: '正式党员', name: '正式党员', tag: 'success' },
]
export const CANCELLED: PhaseInfo = { code: 'cancelled', label: '已取消资格', name: '取消预备党员资格', tag: 'info' }

export function phaseInfo(code: string): PhaseInfo {
  return PHASES.find((p) => p.code === code) ?? (code === 'cancelled' ? CANCELLED : { code: code as DevPhase, label: code, name: code, tag: 'info' })
}

export interface PhaseGroup<T> extends PhaseInfo {
  items: T[]
  count: number
}

/**
 * Cases (or 待办) by phase, in the order of the flow: the five columns always, 取消资格 only when
 * something is in it. counts (the server's totals per phase) win over the items' number, since
 * a column lists one page.
 */
export function groupByPhase<T extends { phase: string }>(items: T[], counts: Partial<Record<DevPhase, number>> = {}): PhaseGroup<T>[] {
  const by = new Map<string, T[]>()
  for (const it of items) by.set(it.phase, [...(by.get(it.phase) ?? []), it])
  const out = PHASES.map((p) => ({ ...p, items: by.get(p.code) ?? [], count: counts[p.code] ?? by.get(p.code)?.length ?? 0 }))
  const cancelled = by.get('cancelled') ?? []
  const nCancelled = counts.cancelled ?? cancelled.length
  if (nCancelled > 0) out.push({ ...CANCELLED, items: cancelled, count: nCancelled })
  return out
}

// ---- Due dates ----

export type DueTone = 'late' | 'soon' | 'wait' | 'normal' | 'none'

export interface DueView {
  /** 应办日期 / 最早可办日期 as shown */
  date: string
  /** 已逾期 12 天, 还有 3 天, 2027-01-10 后可办 … */
  text: string
  tone: DueTone
  /** days past the due date (0 when not late) */
  overdueDays: number
}

/** How a due date reads: late is amber with the days, the near future plain, a wait muted. */
export function dueView(n: Pick<NextStep, 'due_on' | 'not_before' | 'limit'> | null | undefined, now: Date = new Date()): DueView {
  if (!n) return { date: '', text: '', tone: 'none', overdueDays: 0 }
  const wait = daysUntil(n.not_before, now)
  if (wait !== null && wait > 0) {
    return { date: n.not_before!, text: `${n.not_before} 后可办（还需 ${wait} 天）`, tone: 'wait', overdueDays: 0 }
  }
  const due = daysUntil(n.due_on, now)
  if (due === null) return { date: '', text: '无时限要求', tone: 'none', overdueDays: 0 }
  const limit = daysUntil(n.limit, now)
  const limitText = n.limit && limit !== null ? (limit < 0 ? `，已超过最迟期限 ${n.limit}` : `，最迟不超过 ${n.limit}`) : ''
  if (due < 0) return { date: n.due_on!, text: `已逾期 ${-due} 天${limitText}`, tone: 'late', overdueDays: -due }
  if (due === 0) return { date: n.due_on!, text: `今天到期${limitText}`, tone: 'soon', overdueDays: 0 }
  if (due <= 14) return { date: n.due_on!, text: `还有 ${due} 天${limitText}`, tone: 'soon', overdueDays: 0 }
  return { date: n.due_on!, text: `还有 ${due} 天${limitText}`, tone: 'normal', overdueDays: 0 }
}

export const ACTOR_LEVELS: Record<string, string> = { self: '本人', branch: '党支部', upper: '上级党委' }

/** Who acts, as one line: 党支部：支部委员会 — but not 上级党委：上级党委. */
export function actorLine(level: string, actor: string): string {
  const l = ACTOR_LEVELS[level] ?? ''
  return !l || actor.startsWith(l) ? actor : `${l}：${actor}`
}

// ---- The timeline ----

export type StepState = 'done' | 'next' | 'later'

export interface TimelineStep {
  step: DevStep
  state: StepState
  /** the records in force (a repeatable step may have several) */
  records: StepRecord[]
  /** records set aside by a 延长预备期 (the 转正 steps are done again after it) */
  earlier: StepRecord[]
  /** a repeatable step that may still be recorded again (每半年一次的考察) */
  canRepeat: boolean
}

export interface TimelineStage {
  stage: DevStage
  /** 第一阶段 … 第五阶段 */
  ordinal: string
  steps: TimelineStep[]
  done: number
}

const ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九']
const FULL_STEPS = ['s22', 's23', 's24']

/**
 * The steps of the rule set grouped by stage, each marked done (recorded and in force), next
 * (the server's next step) or later. A 延长预备期 approved at s24 sets s22–s24 aside as earlier
 * records: they are done again after the extension, as the server derives it.
 */
export function buildTimeline(rs: Pick<DevRuleSet, 'stages' | 'steps'>, c: Pick<DevCase, 'steps' | 'next' | 'status'>): TimelineStage[] {
  const current = new Map<string, StepRecord[]>()
  const earlier = new Map<string, StepRecord[]>()
  const records = [...(c.steps ?? [])].sort((a, b) => a.seq - b.seq)
  for (const r of records) {
    current.set(r.step, [...(current.get(r.step) ?? []), r])
    if (r.step === 's24' && r.data?.outcome === 'extend') {
      for (const code of FULL_STEPS) {
        earlier.set(code, [...(earlier.get(code) ?? []), ...(current.get(code) ?? [])])
        current.delete(code)
      }
    }
  }
  const next = c.status === 'open' ? (c.next?.step ?? '') : ''
  const nextIdx = rs.steps.findIndex((s) => s.code === next)
  return rs.stages.map((stage, i) => {
    const steps = rs.steps
      .filter((s) => s.stage === stage.code)
      .map((step): TimelineStep => {
        const recs = current.get(step.code) ?? []
        const state: StepState = step.code === next ? 'next' : recs.length > 0 ? 'done' : 'later'
        const idx = rs.steps.indexOf(step)
        // A repeatable step stays open until the step after it is done (as the server checks).
        const following = rs.steps[idx + 1]
        const canRepeat =
          c.status === 'open' && step.repeatable && state === 'done' && !!following && !(current.get(following.code)?.length) && (nextIdx < 0 || nextIdx <= idx + 1)
        return { step, state, records: recs, earlier: earlier.get(step.code) ?? [], canRepeat }
      })
    return { stage, ordinal: `第${ORDINALS[i] ?? i + 1}阶段`, steps, done: steps.filter((s) => s.state === 'done').length }
  })
}

// ---- The step form ----

export interface PeopleSpec {
  role: PersonRole
  label: string
  min: number
  max: number
  /** the form starts with this many rows */
  initial: number
}

export interface StepFormSpec {
  people: PeopleSpec | null
  vote: boolean
  publicity: boolean
  training: boolean
  approver: boolean
  delayReason: boolean
  leavingSoon: boolean
  outcome: boolean
}

/** Which fields a step asks for besides its date, documents and note. */
export function stepFormSpec(code: string): StepFormSpec {
  const s: StepFormSpec = { people: null, vote: false, publicity: false, training: false, approver: false, delayReason: false, leavingSoon: false, outcome: false }
  switch (code) {
    case 's02':
      s.people = { role: 'talker', label: '谈话人', min: 1, max: 3, initial: 1 }
      break
    case 's05':
      s.people = { role: 'contact', label: '培养联系人', min: 1, max: 2, initial: 2 }
      break
    case 's08':
      s.publicity = true
      break
    case 's09':
      s.people = { role: 'introducer', label: '入党介绍人', min: 2, max: 2, initial: 2 }
      break
    case 's11':
      s.training = true
      break
    case 's13':
      s.approver = true
      s.leavingSoon = true
      break
    case 's15':
      s.vote = true
      break
    case 's16':
      s.people = { role: 'talker', label: '谈话人', min: 0, max: 3, initial: 1 }
      break
    case 's17':
      s.approver = true
      s.delayReason = true
      break
    case 's23':
      s.vote = true
      s.outcome = true
      s.publicity = true
      break
    case 's24':
      s.approver = true
      s.delayReason = true
      break
  }
  return s
}

export const OUTCOMES: { value: Outcome; label: string }[] = [
  { value: 'full', label: '按期转正' },
  { value: 'extend', label: '延长预备期' },
  { value: 'cancel', label: '取消预备党员资格' },
]
export const outcomeName = (o: string | undefined) => OUTCOMES.find((x) => x.value === o)?.label ?? ''

export const ROLE_NAMES: Record<string, string> = { talker: '谈话人', contact: '培养联系人', introducer: '入党介绍人' }

/** The client's own check of the people rows ('' when fine); the server checks the registry. */
export function peopleError(spec: PeopleSpec, names: string[]): string {
  const n = names.filter((x) => x.trim()).length
  if (spec.min === spec.max && n !== spec.min) return `应填写 ${spec.min} 名${spec.label}，现填写 ${n} 名`
  if (n < spec.min) return `请填写${spec.label}`
  if (n > spec.max) return `${spec.label}最多 ${spec.max} 名`
  return ''
}

// ---- The 支部大会 vote ----

export interface VoteHint {
  /** the counts are complete enough to judge */
  ready: boolean
  /** 到会有表决权人数超过应到会有表决权人数的半数 */
  quorum: boolean
  /** 赞成人数超过应到会有表决权人数的半数 */
  passed: boolean
  /** the counts are consistent (实到 ≤ 应到, 票数之和 ≤ 实到) */
  consistent: boolean
  /** the smallest attendance and the fewest yes votes that suffice */
  needed: number
  lines: string[]
  type: 'success' | 'warning' | 'info'
}

/**
 * The live hint under the vote counts: 到会 > 应到/2 and 赞成 > 应到/2, both measured against
 * 应到会有表决权的正式党员 (细则第二十条、第二十一条); 预备党员 have no vote.
 */
export function voteHint(v: Partial<Vote> | null | undefined): VoteHint {
  const entitled = Math.max(0, Math.floor(v?.entitled ?? 0))
  const present = Math.max(0, Math.floor(v?.present_entitled ?? 0))
  const yes = Math.max(0, Math.floor(v?.yes ?? 0))
  const no = Math.max(0, Math.floor(v?.no ?? 0))
  const abstain = Math.max(0, Math.floor(v?.abstain ?? 0))
  const needed = Math.floor(entitled / 2) + 1
  if (entitled === 0) {
    return { ready: false, quorum: false, passed: false, consistent: true, needed: 0, lines: ['请先填写应到会有表决权的正式党员人数（预备党员没有表决权）'], type: 'info' }
  }
  const quorum = present * 2 > entitled
  const passed = yes * 2 > entitled
  const lines: string[] = []
  let consistent = true
  if (present > entitled) {
    consistent = false
    lines.push(`到会有表决权 ${present} 人，多于应到会的 ${entitled} 人`)
  }
  const sum = yes + no + abstain
  if (sum > present) {
    consistent = false
    lines.push(`赞成、反对、弃权合计 ${sum} 票，多于到会有表决权的 ${present} 人`)
  }
  lines.push(`到会：应到 ${entitled} 人，须超过半数（至少 ${needed} 人），现到会 ${present} 人${quorum ? '，符合要求' : '，不足'}`)
  lines.push(`表决：赞成须超过应到会人数的半数（至少 ${needed} 票），现赞成 ${yes} 票${passed ? '，可以通过' : '，不能通过'}`)
  return { ready: true, quorum, passed, consistent, needed, lines, type: quorum && passed && consistent ? 'success' : 'warning' }
}

// ---- Rules and refusals ----

/** A rule of the set by id, for its source and article in tooltips. */
export function checkIndex(rs: Pick<DevRuleSet, 'checks'> | null | undefined): Map<string, DevCheck> {
  return new Map((rs?.checks ?? []).map((c) => [c.id, c]))
}

/** The basis of a rule as one line: 细则第七条｜《中国共产党发展党员工作细则》… */
export function basisLine(f: { article?: string; source?: string } | null | undefined): string {
  if (!f) return ''
  const parts = [f.article, f.source].filter((x): x is string => !!x && x.trim() !== '')
  // The article is often part of the source already (细则第七条 / 《…细则》（2014…）第七条): say it once.
  if (parts.length === 2) {
    const bare = parts[0]!.replace(/^(细则|党章)/, '')
    if (parts[1]!.includes(parts[0]!) || (bare.length >= 3 && parts[1]!.includes(bare))) return parts[1]!
  }
  return parts.join('｜')
}

export interface Refusal {
  rule: string
  title: string
  message: string
  article: string
  source: string
  /** the other blocking findings, then the warnings that came with them */
  others: Finding[]
}

/** A 422 rule_violation as the step form shows it; null for anything else (field errors, 409 …). */
export function refusalOf(e: unknown): Refusal | null {
  if (!(e instanceof ApiError) || (e.status !== 422 && e.status !== 403)) return null
  const b = e.body as Record<string, unknown>
  if (e.status === 403 && typeof b.rule !== 'string') return null
  if (e.code !== 'rule_violation' && typeof b.rule !== 'string') return null
  const all = (Array.isArray(b.violations) ? b.violations : []) as Finding[]
  const rule = String(b.rule ?? '')
  const message = String(b.message ?? e.detail)
  const first = all.find((f) => f.rule === rule && f.message === message)
  const rank = (f: Finding) => (f.level === 'block' ? 0 : 1)
  const others = all
    .filter((f) => f !== first)
    .map((f, i) => ({ f, i }))
    .sort((x, y) => rank(x.f) - rank(y.f) || x.i - y.i)
    .map((x) => x.f)
  return {
    rule,
    title: first?.title ?? '',
    message,
    article: String(b.article ?? first?.article ?? ''),
    source: String(b.source ?? first?.source ?? ''),
    others,
  }
}

/** Who changed what: the text of a 409 (the server says why: 他人修改, 案例已结束 …). */
export function conflictText(e: unknown): string | null {
  if (!(e instanceof ApiError) || e.status !== 409) return null
  return e.detail || '该档案已被他人修改'
}

/** Lines of a textarea as documents: trimmed, empty lines dropped. */
export function docLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
}

/** Months added to a YYYY-MM-DD date, as Go's AddDate does (2024-01-31 + 1 → 2024-03-02). */
export function addMonths(date: string, months: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date)
  if (!m) return ''
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1 + months, Number(m[3])))
  return d.toISOString().slice(0, 10)
}

/** The 支部大会 date an approval (s17, s24) is measured from. */
export function congressDate(c: Pick<DevCase, 'steps'>, step: string): string {
  const code = step === 's24' ? 's23' : 's15'
  const recs = (c.steps ?? []).filter((r) => r.step === code)
  return recs.at(-1)?.on ?? ''
}

/** The non-empty fields of a 党员信息 form, as the server's Profile. */
export function profileBody(f: Record<string, string>): Profile {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(f)) if (v && String(v).trim()) out[k] = String(v).trim()
  return out as Profile
}
