import { describe, expect, it } from 'vitest'
import { ageOn, checkChar, idNumberError, isMasked, isRealDate, isValidIdNumber, normalizeIdNumber, parseIdNumber } from '@/utils/idcard'

const now = new Date(2026, 4, 20)

describe('公民身份号码 check character (GB 11643, ISO 7064 MOD 11-2)', () => {
  it('accepts the examples of the standard', () => {
    expect(checkChar('11010519491231002')).toBe('X')
    expect(checkChar('44052418800101001')).toBe('4')
    expect(isValidIdNumber('11010519491231002X', now)).toBe(true)
    // The standard's second example is born in 1880: right check character, but no living member.
    expect(idNumberError('440524188001010014', now)).toBe('公民身份号码中的出生日期不合理')
  })

  it('finds one mistyped digit and two swapped digits', () => {
    expect(idNumberError('430702198503021232', now)).toBe('公民身份号码校验位不正确，请逐位核对')
    expect(idNumberError('430702198503021321', now)).toContain('校验位')
    expect(idNumberError('430702198503021231', now)).toBe('')
  })

  it('needs 17 digits then a digit or X', () => {
    expect(() => checkChar('1234')).toThrow()
    expect(idNumberError('', now)).toBe('请填写公民身份号码')
    expect(idNumberError('43070219850302123', now)).toBe('公民身份号码应为18位，当前为17位')
    expect(idNumberError('4307021985030212A1', now)).toBe('公民身份号码前17位应为数字，最后一位为数字或X')
    expect(idNumberError('430702850302123', now)).toContain('15位')
    expect(idNumberError('4307**********123X', now)).toBe('请填写完整的公民身份号码')
  })

  it('checks the province code and the birth date inside', () => {
    expect(idNumberError('990702198503021231', now)).toContain('省级行政区划代码')
    expect(idNumberError('430702198502301231', now)).toContain('出生日期') // 2 月 30 日
    const future = '43070220300101001'
    expect(idNumberError(future + checkChar(future), now)).toBe('公民身份号码中的出生日期不合理')
    expect(isValidIdNumber('430702199202290010', now)).toBe(true) // 1992 is a leap year
  })

  it('normalises what people paste: spaces, full-width digits, a lower-case x', () => {
    expect(normalizeIdNumber(' 110105 19491231 002x ')).toBe('11010519491231002X')
    expect(normalizeIdNumber('１１０１０５１９４９１２３１００２ｘ')).toBe('11010519491231002X')
    expect(isValidIdNumber('11010519491231002x', now)).toBe(true)
  })
})

describe('what the number tells', () => {
  it('gives the birth date and the gender (odd 17th digit: 男)', () => {
    expect(parseIdNumber('430702198503021231', now)).toEqual({ birthDate: '1985-03-02', gender: '1', region: '430702' })
    expect(parseIdNumber('430702200806150022', now)?.gender).toBe('2')
    expect(parseIdNumber('11010519491231002X', now)?.gender).toBe('2')
    expect(parseIdNumber('430702198503021232', now)).toBeNull()
  })

  it('counts full years of age', () => {
    expect(ageOn('2008-06-15', '2026-06-14')).toBe(17)
    expect(ageOn('2008-06-15', '2026-06-15')).toBe(18)
    expect(ageOn('1985-03-02', '2026-05-20')).toBe(41)
    expect(ageOn(null, '2026-01-01')).toBeNull()
  })

  it('knows real dates and masked values', () => {
    expect(isRealDate('2024-02-29')).toBe(true)
    expect(isRealDate('2023-02-29')).toBe(false)
    expect(isRealDate('20240431')).toBe(false)
    expect(isMasked('4307**********123X')).toBe(true)
    expect(isMasked('430702198503021231')).toBe(false)
    expect(isMasked('')).toBe(false)
  })
})
