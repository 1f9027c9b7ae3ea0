package division

import "strings"

// Names in the 统计用区划代码 are the names of the 自治组织 (村委会、居委会) and 办事处 as
// registered, with notes in brackets now and then: "多福巷社区居委会", "杨岗村村民委员会",
// "马家榨居委会（社区）", "八家子村委会（合隆经济开发区）（省级）". These helpers read them.

// stripNotes removes bracketed notes at the end of a name ("新河村委会（孟家滩）" → "新河村委会").
func stripNotes(name string) string {
	n := strings.TrimSpace(name)
	for {
		var open string
		switch {
		case strings.HasSuffix(n, "）"):
			open = "（"
		case strings.HasSuffix(n, ")"):
			open = "("
		default:
			return n
		}
		i := strings.LastIndex(n, open)
		if i < 0 {
			i = strings.LastIndex(n, "（")
		}
		if i < 0 {
			i = strings.LastIndex(n, "(")
		}
		if i <= 0 {
			return n
		}
		n = strings.TrimSpace(n[:i])
	}
}

func cutSuffix(s string, suffixes ...string) (string, bool) {
	for _, x := range suffixes {
		if b, ok := strings.CutSuffix(s, x); ok {
			return b, true
		}
	}
	return s, false
}

var (
	villageSuffixes   = []string{"村民委员会", "村委员会", "村民委会", "村委会"}
	communitySuffixes = []string{"社区居民委员会", "社区居委会", "社区居民委会", "社区委员会"}
	residentSuffixes  = []string{"居民委员会", "居委会", "居民委会"}
	gachaSuffixes     = []string{"嘎查村委员会", "嘎查委员会", "嘎查委会"}
)

// IsCommunity tells a 社区 (居委会) from a 村 (村委会, 嘎查, 连队 …) by its name: names ending
// in 居委会/居民委员会/社区/生活区 are communities; names ending in 村委会/村民委员会/村 are
// villages even when they contain 社区 ("东沟社区村民委员会" is a 村民委员会). Names that say
// neither count as communities when they mention 社区 or 居委/居民.
func IsCommunity(name string) bool {
	n := stripNotes(name)
	if _, ok := cutSuffix(n, villageSuffixes...); ok {
		return false
	}
	if _, ok := cutSuffix(n, gachaSuffixes...); ok {
		return false
	}
	if _, ok := cutSuffix(n, residentSuffixes...); ok {
		return true
	}
	if _, ok := cutSuffix(n, "社区", "社区委员会", "生活区", "街道委员会"); ok {
		return true
	}
	if strings.HasSuffix(n, "村") || strings.HasSuffix(n, "嘎查") {
		return false
	}
	return strings.Contains(n, "社区") || strings.Contains(n, "居委") || strings.Contains(n, "居民")
}

// PlaceName returns the everyday name of a 村/社区 from its registered name, as party
// organisations are named after it: "多福巷社区居委会" → "多福巷社区", "杨岗村村民委员会" →
// "杨岗村", "新河村委会（孟家滩）" → "新河村", "瓜园居委会（社区）" → "瓜园社区",
// "团结嘎查委员会" → "团结嘎查", "东沟社区村民委员会" → "东沟社区". Other names are returned without their bracketed notes.
func PlaceName(name string) string {
	n := stripNotes(name)
	if n == "" {
		return strings.TrimSpace(name)
	}
	if b, ok := cutSuffix(n, communitySuffixes...); ok && b != "" {
		return b + "社区"
	}
	if b, ok := cutSuffix(n, residentSuffixes...); ok && b != "" {
		return b + "社区"
	}
	if b, ok := cutSuffix(n, villageSuffixes...); ok && b != "" {
		if strings.HasSuffix(b, "村") || strings.HasSuffix(b, "社区") {
			return b
		}
		return b + "村"
	}
	if b, ok := cutSuffix(n, gachaSuffixes...); ok && b != "" {
		return b + "嘎查"
	}
	if i := strings.LastIndex(n, "社区"); i > 0 {
		return n[:i] + "社区" // "申河社区居民管理委员会"
	}
	if b, ok := cutSuffix(n, "委员会"); ok && b != "" {
		return b
	}
	return n
}

// IsSubdistrict reports whether a 乡级 name is a 街道 (街道, 街道办事处, 办事处, and the
// 地区办事处 of 北京 named "…地区").
func IsSubdistrict(name string) bool {
	n := stripNotes(name)
	_, ok := cutSuffix(n, "街道", "街道办事处", "办事处", "地区")
	return ok
}

// IsTownship reports whether a 乡级 name is a 镇, 乡 (民族乡) or 苏木.
func IsTownship(name string) bool {
	n := stripNotes(name)
	_, ok := cutSuffix(n, "镇", "乡", "苏木")
	return ok
}
