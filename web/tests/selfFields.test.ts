import { describe, expect, it } from 'vitest'
import type { Member } from '@/types'
import { needsReview, SELF_FIELDS, selfAnswerMessage, selfChanges, selfFormOf } from '@/views/me/selfFields'

const me = {
  id: 3,
  name: '周敏',
  gender: '2',
  birth_date: '1988-06-15',
  id_number: '4307**********0022',
  phone: '13907361234',
  address: '武陵区某路1号',
  native_place: '湖南常德',
  tech_title: '',
  degree: '',
  work_started_on: '2010-09-01',
  education: '31',
  job: '011',
  ethnicity: '01',
  joined_on: '2012-07-01',
  full_on: '2013-07-01',
} as unknown as Member

describe('self-service changes', () => {
  it('says which fields need the branch, as internal/member/self.go decides', () => {
    expect(SELF_FIELDS.filter((f) => !f.review).map((f) => f.field)).toEqual(['phone', 'address', 'native_place', 'degree', 'tech_title', 'work_started_on'])
    expect(SELF_FIELDS.filter((f) => f.review).map((f) => f.field)).toEqual(['name', 'id_number', 'ethnicity', 'education', 'job', 'joined_on', 'full_on'])
  })

  it('sends only what changed; a masked ID number left empty is kept', () => {
    const f = selfFormOf(me)
    expect(f.id_number).toBe('')
    expect(f.phone).toBe('13907361234')
    expect(selfChanges(me, f)).toEqual({})
    f.phone = '139 0736 9999'
    f.education = '21'
    f.native_place = ' 湖南常德 '
    expect(selfChanges(me, f)).toEqual({ phone: '13907369999', education: '21' })
    expect(needsReview({ phone: '1' })).toBe(false)
    expect(needsReview({ phone: '1', education: '21' })).toBe(true)
  })

  it('clears an emptied date with an empty string, and a new ID number brings its birth date and gender', () => {
    const f = selfFormOf(me)
    f.work_started_on = null
    f.id_number = '43070219850302123 1'
    expect(selfChanges(me, f)).toEqual({ work_started_on: '', id_number: '430702198503021231', birth_date: '1985-03-02', gender: '1' })
  })

  it('reports what the server did', () => {
    const request = {
      id: 1,
      member_id: 3,
      member_name: '周敏',
      org_name: '某支部',
      changes: [
        { field: 'education', label: '学历', from: '大学专科毕业', to: '大学本科毕业' },
        { field: 'job', label: '工作岗位', from: 'a', to: 'b' },
      ],
      status: 'pending' as const,
      requested_at: '',
      requested_by: '',
    }
    expect(selfAnswerMessage({ applied: ['phone'], request })).toBe('已更新：联系电话；学历、工作岗位已提交党支部审核，审核通过后生效')
    expect(selfAnswerMessage({ applied: ['address'], request: null })).toBe('已更新：家庭住址')
    expect(selfAnswerMessage({ applied: [], request: { ...request, changes: [request.changes[0]!] } })).toBe('学历已提交党支部审核，审核通过后生效')
  })
})
