import { describe, expect, it } from 'vitest'
import type { RosterMember } from '@/api/life'
import {
  countMarks,
  dueText,
  monthGrid,
  parsePeriod,
  periodClosed,
  periodCode,
  periodLabel,
  periodOf,
  periodRange,
  quorumMet,
  quorumNeeded,
  quorumView,
  shiftPeriod,
  shortName,
  statusCell,
  statusTooltip,
  voteError,
} from '@/utils/life'

describe('periods', () => {
  it('reads the four forms the server reads', () => {
    expect(parsePeriod('2026')).toEqual({ kind: 'year', year: 2026, n: 1 })
    expect(parsePeriod('2026Q3')).toEqual({ kind: 'quarter', year: 2026, n: 3 })
    expect(parsePeriod('2026q4')).toEqual({ kind: 'quarter', year: 2026, n: 4 })
    expect(parsePeriod('2026-10')).toEqual({ kind: 'month', year: 2026, n: 10 })
    expect(parsePeriod('2026-2')).toEqual({ kind: 'month', year: 2026, n: 2 })
    expect(parsePeriod('2026H1')).toEqual({ kind: 'half', year: 2026, n: 1 })
    for (const bad of ['', '26', '2026Q5', '2026-13', '2026-00', '2026H3', '1900', 'Q3', '2026-1-1']) {
      expect(parsePeriod(bad), bad).toBeNull()
    }
  })

  it('writes codes, labels and ranges', () => {
    const q3 = parsePeriod('2026Q3')!
    expect(periodCode(q3)).toBe('2026Q3')
    expect(periodLabel(q3)).toBe('2026年第三季度')
    expect(periodRange(q3)).toEqual({ from: '2026-07-01', to: '2026-09-30' })
    expect(periodRange(parsePeriod('2028-02')!)).toEqual({ from: '2028-02-01', to: '2028-02-29' })
    expect(periodRange(parsePeriod('2026H2')!)).toEqual({ from: '2026-07-01', to: '2026-12-31' })
    expect(periodLabel(parsePeriod('2026H1')!)).toBe('2026年上半年')
    expect(periodCode(parsePeriod('2026-3')!)).toBe('2026-03')
  })

  it('finds the period of a day and steps between periods', () => {
    expect(periodOf('quarter', '2026-08-20')).toEqual({ kind: 'quarter', year: 2026, n: 3 })
    expect(periodOf('month', new Date(2026, 0, 31))).toEqual({ kind: 'month', year: 2026, n: 1 })
    expect(shiftPeriod({ kind: 'quarter', year: 2026, n: 1 }, -1)).toEqual({ kind: 'quarter', year: 2025, n: 4 })
    expect(shiftPeriod({ kind: 'month', year: 2026, n: 12 }, 1)).toEqual({ kind: 'month', year: 2027, n: 1 })
    expect(shiftPeriod({ kind: 'year', year: 2026, n: 1 }, -2)).toEqual({ kind: 'year', year: 2024, n: 1 })
    expect(periodClosed(parsePeriod('2026Q2')!, '2026-08-20')).toBe(true)
    expect(periodClosed(parsePeriod('2026Q3')!, '2026-09-30')).toBe(false)
  })
})

const member = (id: number, voting: boolean, committee = false): RosterMember => ({
  id,
  name: `党员${id}`,
  category: voting ? 'full' : 'probationary',
  category_name: voting ? '正式党员' : '预备党员',
  voting,
  mobile: false,
  mobile_to: '',
  committee,
  post_name: '',
  status: 'present',
})

describe('quorum', () => {
  it('needs more than half, or more than four fifths for an election', () => {
    expect(quorumNeeded('voting_majority', 9)).toBe(5)
    expect(quorumNeeded('voting_majority', 10)).toBe(6)
    expect(quorumNeeded('committee_majority', 5)).toBe(3)
    expect(quorumNeeded('election_four_fifths', 10)).toBe(9)
    expect(quorumMet('voting_majority', 10, 5)).toBe(false)
    expect(quorumMet('voting_majority', 0, 0)).toBe(false)
    expect(quorumMet('', 0, 0)).toBe(true)
  })

  it('counts present 正式党员 only for a 支部大会', () => {
    const roster = [...Array.from({ length: 9 }, (_, i) => member(i + 1, true)), member(10, false)]
    const marks: Record<number, string> = {}
    roster.forEach((m, i) => (marks[m.id] = i < 4 ? 'present' : 'absent'))
    marks[10] = 'present'
    const v = quorumView({ quorum: 'voting_majority' }, roster, marks)
    expect(v).toMatchObject({ applies: true, ok: false, entitled: 9, present: 4, needed: 5 })
    expect(v.text).toBe('应到会有表决权的党员 9 人，到会 4 人，至少需 5 人')
    marks[5] = 'present'
    expect(quorumView({ quorum: 'voting_majority' }, roster, marks).text).toBe('应到会有表决权的党员 9 人，到会 5 人，至少需 5 人，符合要求')
  })

  it('counts the 班子 for a 支委会, and says when there is none', () => {
    const roster = [member(1, true, true), member(2, true, true), member(3, true, true), member(4, true)]
    expect(quorumView({ quorum: 'committee_majority' }, roster, { 1: 'present', 2: 'present', 4: 'present' })).toMatchObject({ ok: true, entitled: 3, present: 2 })
    expect(quorumView({ quorum: 'committee_majority' }, [member(4, true)], {}).text).toContain('未设支部委员会')
    expect(quorumView({ quorum: '' }, roster, {}).applies).toBe(false)
  })

  it('checks vote counts against the present voters', () => {
    expect(voteError({ yes: 5, no: 1, abstain: 0 }, 7)).toBe('')
    expect(voteError({ yes: 5, no: 2, abstain: 1 }, 7)).toBe('赞成、反对、弃权合计 8 票，超过到会有表决权的 7 人')
    expect(voteError({ yes: -1, no: 0, abstain: 0 }, 7)).toBe('票数不能为负数')
  })

  it('counts the marks', () => {
    expect(countMarks({ 1: 'present', 2: 'leave', 3: 'absent', 4: '', 5: 'present' })).toEqual({ listed: 4, present: 2, leave: 1, absent: 1, makeup: 0 })
  })
})

describe('compliance wording', () => {
  it('is never red before a period ends', () => {
    expect(statusCell('held').text).toBe('✓')
    expect(statusCell('pending')).toEqual({ text: '未到期', tag: 'info' })
    expect(statusCell('missed')).toEqual({ text: '未召开', tag: 'warning' })
    expect(statusCell('na').text).toBe('—')
    expect(dueText('pending', '2026-09-30', '2026年第三季度')).toBe('本期尚未召开，截止 2026-09-30')
    expect(dueText('missed', '2026-06-30', '2026年第二季度')).toBe('2026年第二季度未召开')
  })

  it('puts the rule source in the tooltip', () => {
    const tip = statusTooltip({
      text: '本期尚未召开，截止 2026-09-30',
      type_name: '支部党员大会',
      frequency_name: '每季度',
      source: '《中国共产党支部工作条例（试行）》（2018）第十一条',
      frequency_from: '系统默认（…）',
    })
    expect(tip.split('\n')).toEqual(['本期尚未召开，截止 2026-09-30', '要求：支部党员大会每季度至少1次', '依据：《中国共产党支部工作条例（试行）》（2018）第十一条'])
    expect(statusTooltip({ text: 'x', type_name: '党课', frequency_name: '每月', source: 's', frequency_from: '中共某镇委员会' })).toContain('频次由“中共某镇委员会”调整')
  })
})

describe('month calendar', () => {
  it('lays out a month from Monday', () => {
    const weeks = monthGrid(2026, 8)
    expect(weeks[0]![0]).toEqual({ date: '2026-07-27', day: 27, inMonth: false })
    expect(weeks[0]![5]).toEqual({ date: '2026-08-01', day: 1, inMonth: true })
    expect(weeks.at(-1)!.some((d) => d.date === '2026-08-31')).toBe(true)
    expect(weeks.every((w) => w.length === 7)).toBe(true)
    expect(monthGrid(2021, 2).length).toBe(4) // February 2021 starts on a Monday and has 28 days
  })
})

describe('short names', () => {
  it('drops the prefix shared with the node looked at', () => {
    expect(shortName('中共常德市武陵区启明街道半边街社区委员会', '中共常德市武陵区启明街道工作委员会')).toBe('…半边街社区委员会')
    expect(shortName('中共常德市武陵区启明街道工作委员会', '中共常德市武陵区启明街道工作委员会')).toBe('中共常德市武陵区启明街道工作委员会')
    expect(shortName('第一党小组', '中共某村第一支部委员会')).toBe('第一党小组')
  })
})
