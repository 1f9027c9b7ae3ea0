import { describe, expect, it } from 'vitest'
import type { Member } from '@/types'
import { emptyMemberForm, memberCreateBody, memberFormOf, memberPatch } from '@/views/members/memberForm'

const member = {
  id: 9,
  org_id: 31,
  org_name: '中共某社区第一支部委员会',
  name: '李红梅',
  gender: '2',
  id_number: '4307**********0022',
  ethnicity: '01',
  birth_date: '1988-06-15',
  education: '21',
  category: 'full',
  joined_on: '2012-07-01',
  full_on: '2013-07-01',
  job: '011',
  phone: '139****1234',
  address: '湖南省常德市武陵区****',
  status: 'normal',
  lost_contact: false,
  lost_on: null,
  lost_situation: '',
  mobile: false,
  mobile_to: '',
  native_place: '湖南常德',
  degree: '',
  tech_title: '',
  party_post: '',
  work_started_on: null,
  hardship: false,
  introducers: '王某、刘某',
  revealed: false,
  version: 4,
} as unknown as Member

describe('member form', () => {
  it('starts masked personal data empty, so it is not sent back', () => {
    const f = memberFormOf(member)
    expect(f.id_number).toBe('')
    expect(f.phone).toBe('')
    expect(f.address).toBe('')
    expect(f.name).toBe('李红梅')
    expect(memberPatch(member, f)).toEqual({})
  })

  it('keeps revealed values and sends them only when changed', () => {
    const revealed = { ...member, revealed: true, id_number: '430702198806150022', phone: '13907361234', address: '湖南省常德市武陵区某路1号' }
    const f = memberFormOf(revealed)
    expect(f.phone).toBe('13907361234')
    expect(memberPatch(revealed, f)).toEqual({})
    f.phone = '139 0736 4321'
    expect(memberPatch(revealed, f)).toEqual({ phone: '13907364321' })
  })

  it('sends only what changed, trimmed, with dates of a new ID number', () => {
    const f = memberFormOf(member)
    f.name = ' 李红梅 '
    f.education = '31'
    f.id_number = '430702198806150022'
    expect(memberPatch(member, f)).toEqual({ education: '31', id_number: '430702198806150022' })
    f.id_number = '430702199001010019'
    expect(memberPatch(member, f)).toEqual({ education: '31', id_number: '430702199001010019', birth_date: '1990-01-01', gender: '1' })
  })

  it('clears the lost-contact and mobile details when switched off', () => {
    const lost = { ...member, lost_contact: true, lost_on: '2024-01-01', lost_situation: '2', mobile: true, mobile_to: '广东深圳' }
    const f = memberFormOf(lost)
    f.lost_contact = false
    f.mobile = false
    expect(memberPatch(lost, f)).toEqual({ lost_contact: false, lost_on: '', lost_situation: '', mobile: false, mobile_to: '' })
  })

  it('clears an emptied date with an empty string (null would mean unchanged)', () => {
    const f = memberFormOf(member)
    f.full_on = null
    f.work_started_on = '2011-03-01'
    expect(memberPatch(member, f)).toEqual({ full_on: '', work_started_on: '2011-03-01' })
  })

  it('builds the create body with the birth date from the ID number', () => {
    const f = emptyMemberForm(31)
    Object.assign(f, { name: ' 王强 ', id_number: '43070219850302123x', gender: '1', education: '21', joined_on: '2010-07-01', full_on: '', phone: '139 0736 1234', lost_on: '2020-01-01' })
    const body = memberCreateBody(f)
    expect(body).toMatchObject({
      org_id: 31,
      name: '王强',
      id_number: '43070219850302123X',
      birth_date: null, // the ID number above is not valid: no birth date derived
      full_on: null,
      phone: '13907361234',
      lost_on: null,
      ethnicity: '01',
    })
    f.id_number = '430702198503021231'
    expect(memberCreateBody(f).birth_date).toBe('1985-03-02')
  })
})
