import { describe, expect, it } from 'vitest'
import { educationBucket, normalizeMemberMeta } from '@/utils/memberMeta'
import { changeLines, displayValue, educationGroups, jobTree } from '@/views/members/fields'
import { memberMeta } from './fixtures/members'

describe('member code tables', () => {
  const mm = normalizeMemberMeta(memberMeta)

  it('turns the server’s tables into the lists the forms use', () => {
    expect(mm.genders).toEqual([
      { code: '1', name: '男' },
      { code: '2', name: '女' },
    ])
    expect(mm.statuses.map((s) => s.code)).toEqual(['normal', 'suspended', 'left', 'deceased'])
    expect(mm.education_buckets.map((b) => b.name)).toEqual(['研究生', '大学本科', '大学专科', '中专', '高中、中技', '初中及以下'])
    expect(mm.educations.find((e) => e.code === '21')).toEqual({ code: '21', name: '大学本科毕业', bucket: '2' })
    expect(mm.age_bands[0]).toEqual({ code: '<=30', name: '30岁及以下' })
    expect(mm.sources.gender).toBe('性别的标准')
  })

  it('maps 学历 codes to the 党统 buckets as the server does', () => {
    expect(['11', '21', '31', '41', '44', '61', '71', '90', 'x'].map(educationBucket)).toEqual(['1', '2', '3', '4', '5', '5', '6', '6', ''])
  })

  it('groups 学历 by bucket and builds the 工作岗位 tree', () => {
    expect(educationGroups(mm).map((g) => [g.label, g.options.map((o) => o.code)])).toEqual([
      ['研究生', ['10', '11']],
      ['大学本科', ['20', '21']],
      ['大学专科', ['30', '31']],
      ['高中、中技', ['61']],
    ])
    const tree = jobTree(mm.jobs)
    expect(tree.map((n) => n.label)).toEqual(['在岗职工', '农牧渔民', '离退休人员'])
    expect(tree[0]!.children![0]!.children![0]).toEqual({ value: '011', label: '党政机关工作人员' })
  })

  it('still reads the first contract’s flat lists', () => {
    const flat = normalizeMemberMeta({ genders: [{ code: '1', name: '男' }], age_bands: [{ code: 'a', name: 'A' }] })
    expect(flat.genders).toEqual([{ code: '1', name: '男' }])
    expect(flat.ethnicities).toEqual([])
  })

  it('shows change requests in either shape', () => {
    expect(changeLines([{ field: 'education', label: '学历', from: '大学专科毕业', to: '' }], mm)).toEqual([{ field: 'education', label: '学历', from: '大学专科毕业', to: '—' }])
    expect(changeLines({ gender: { from: '1', to: '2' }, mobile: { from: false, to: true } }, mm)).toEqual([
      { field: 'gender', label: '性别', from: '男', to: '女' },
      { field: 'mobile', label: '流动党员', from: '否', to: '是' },
    ])
    expect(displayValue('joined_on', null, mm)).toBe('—')
  })
})
