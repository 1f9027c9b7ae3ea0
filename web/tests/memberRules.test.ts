import { describe, expect, it } from 'vitest'
import {
  addYears,
  checkMember,
  fullOnError,
  fullOnWarning,
  genderError,
  joinedOnError,
  normalizePhone,
  phoneError,
  type MemberCheckValues,
} from '@/utils/memberRules'

const now = new Date(2026, 4, 20)

const valid = (): MemberCheckValues => ({
  name: '张建国',
  id_number: '430702198503021231',
  gender: '1',
  birth_date: '1985-03-02',
  ethnicity: '01',
  education: '21',
  joined_on: '2010-07-01',
  full_on: '2011-07-01',
  phone: '13907361234',
  lost_contact: false,
  lost_on: null,
  lost_situation: '',
  mobile: false,
  mobile_to: '',
  work_started_on: null,
})

describe('phone numbers', () => {
  it('takes mobiles and landlines with an area code', () => {
    expect(phoneError('13907361234')).toBe('')
    expect(phoneError('139 0736 1234')).toBe('')
    expect(phoneError('+8613907361234')).toBe('')
    expect(phoneError('0736-7221234')).toBe('')
    expect(phoneError('07367221234')).toBe('')
    expect(phoneError('0736－7221234-806')).toBe('')
    expect(phoneError('0736-7221234转806')).toBe('')
    expect(phoneError('139-0736-1234')).toBe('')
    expect(phoneError('(0736)7221234')).toBe('')
    expect(phoneError('')).toBe('')
  })

  it('says what is wrong', () => {
    expect(phoneError('1390736123')).toBe('手机号码应为11位，当前为10位')
    expect(phoneError('12907361234')).toContain('11位手机号码')
    expect(phoneError('7221234')).toContain('区号')
    expect(normalizePhone('１３９０７３６１２３４')).toBe('13907361234')
  })
})

describe('party dates', () => {
  it('wants the member 18 on the day of joining', () => {
    expect(joinedOnError('2026-06-14', '2008-06-15', new Date(2027, 0, 1))).toBe('入党时应年满18周岁，按出生日期计算入党时为17周岁')
    expect(joinedOnError('2026-06-15', '2008-06-15', new Date(2027, 0, 1))).toBe('')
    expect(joinedOnError('1980-01-01', '1985-03-02', now)).toBe('入党日期早于出生日期')
    expect(joinedOnError(null, '1985-03-02', now)).toBe('请选择入党日期')
    expect(joinedOnError('2026-06-01', '1985-03-02', now)).toBe('入党日期不能晚于今天')
    expect(joinedOnError('2010-07-01', null, now)).toBe('')
  })

  it('wants 转正 a year of probation after 入党, and none for a 预备党员 (as the server does)', () => {
    expect(fullOnError(null, '2025-07-01', now)).toBe('')
    expect(fullOnError('2024-07-01', '2025-07-01', now)).toBe('转正日期不能早于入党日期')
    expect(fullOnError('2025-07-01', '2025-07-01', now)).toContain('转正日期与入党日期相同')
    expect(fullOnError('2026-03-01', '2025-07-01', now)).toBe('距入党不满一年就转正：预备期为一年，转正日期应不早于 2026-07-01')
    expect(fullOnError('2026-07-01', '2025-07-01', now)).toBe('转正日期不能晚于今天')
    expect(fullOnError('2026-05-01', '2025-05-01', now)).toBe('')
  })

  it('knows that members who joined in 1969–1977 had no probation', () => {
    expect(fullOnError('1972-03-15', '1972-03-15', now)).toBe('')
    expect(fullOnError('1972-06-01', '1972-03-15', now)).toBe('')
    expect(fullOnError('1977-08-12', '1977-08-12', now)).toContain('转正日期与入党日期相同')
    expect(fullOnWarning(null, '1972-03-15', now)).toContain('没有预备期')
  })

  it('warns, without refusing, about a probation over two years', () => {
    expect(fullOnWarning('2013-09-01', '2011-07-01', now)).toContain('超过两年')
    expect(fullOnWarning('2012-07-01', '2011-07-01', now)).toBe('')
    expect(fullOnWarning(null, '2020-07-01', now)).toBe('入党已超过两年仍为预备党员，请核对转正日期')
    expect(fullOnWarning(null, '2025-07-01', now)).toBe('')
    expect(addYears('2024-02-29', 1)).toBe('2025-03-01')
  })

  it('checks the gender against the ID number', () => {
    expect(genderError('2', '430702198503021231')).toBe('性别与公民身份号码不一致（号码中为男）')
    expect(genderError('', '')).toBe('请选择性别')
    expect(genderError('2', '')).toBe('')
  })
})

describe('checkMember', () => {
  it('passes a complete record', () => {
    expect(checkMember(valid(), { now })).toEqual({})
  })

  it('reports every field at once', () => {
    const v = { ...valid(), name: ' ', id_number: '430702198503021232', phone: '123', full_on: '2009-01-01', ethnicity: '' }
    expect(Object.keys(checkMember(v, { now })).sort()).toEqual(['ethnicity', 'full_on', 'id_number', 'name', 'phone'])
  })

  it('takes the birth date from the ID number for the age check', () => {
    const v = { ...valid(), id_number: '430702200806150022', gender: '2', birth_date: null, joined_on: '2025-07-01', full_on: null }
    expect(checkMember(v, { now }).joined_on).toContain('17周岁')
    expect(checkMember({ ...v, joined_on: '2026-06-15' }, { now: new Date(2027, 0, 1) })).toEqual({})
  })

  it('flags a birth date that contradicts the ID number', () => {
    expect(checkMember({ ...valid(), birth_date: '1985-03-03' }, { now }).birth_date).toBe('出生日期与公民身份号码不一致（号码中为 1985-03-02）')
  })

  it('leaves the lost-contact and mobile details optional, but checks their dates', () => {
    expect(checkMember({ ...valid(), lost_contact: true, mobile: true }, { now })).toEqual({})
    expect(checkMember({ ...valid(), lost_contact: true, lost_on: '2009-01-01' }, { now }).lost_on).toBe('失去联系日期不能早于入党日期')
    expect(checkMember({ ...valid(), work_started_on: '1998-01-01' }, { now }).work_started_on).toBe('参加工作日期早于14周岁，请核对')
  })

  it('wants a name of 2 to 30 characters', () => {
    expect(checkMember({ ...valid(), name: '李' }, { now }).name).toBe('姓名应为2–30个字')
    expect(checkMember({ ...valid(), name: '  ' }, { now }).name).toBe('请填写姓名')
  })

  it('lets an edit keep the stored ID number', () => {
    expect(checkMember({ ...valid(), id_number: '' }, { now, idRequired: false })).toEqual({})
    expect(checkMember({ ...valid(), id_number: '' }, { now }).id_number).toBe('请填写公民身份号码')
  })
})
