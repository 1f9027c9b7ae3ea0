// Package division holds the real administrative divisions of China (省 → 市 → 县 → 乡镇/街道 →
// 村/社区), the 国家统计局 2023 统计用区划代码, embedded in the binary. Organisations carry these
// codes, forms pick them, and the demo trees are built from them.
//
// Codes are the short forms of the files: 2 digits for a 省, 4 for a 市, 6 for a 县/区, 9 for a
// 乡镇/街道 and 12 for a 村/社区 (a child's code always starts with its parent's). The four upper
// levels (about 45,000 rows) are read once, on first use. The 620,573 村/社区 are read only when
// asked for, and then only one province at a time (Get, Children, HasChildren); Scan and Walk
// stream them without keeping them.
package division

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
)

var (
	//go:embed data/provinces.csv
	provincesCSV string
	//go:embed data/cities.csv
	citiesCSV string
	//go:embed data/areas.csv
	areasCSV string
	//go:embed data/streets.csv
	streetsCSV string
	//go:embed data/villages.csv.gz
	villagesGz []byte
)

// Level is the depth of a division: 1 省 … 5 村.
type Level int

const (
	Province Level = 1 + iota // 省级（省、自治区、直辖市）
	City                      // 地级（市、州、盟；直辖市的"市辖区""县"）
	Area                      // 县级（区、县、县级市、旗）
	Street                    // 乡级（街道、镇、乡、苏木）
	Village                   // 村级（村委会、居委会/社区）
)

var levelNames = [...]string{"", "省", "市", "县", "乡", "村"}

// String returns the level's one-character Chinese name (省、市、县、乡、村).
func (l Level) String() string {
	if l < Province || l > Village {
		return fmt.Sprintf("Level(%d)", int(l))
	}
	return levelNames[l]
}

// codeLen is the length of a code at each level.
var codeLen = [...]int{0, 2, 4, 6, 9, 12}

// CodeLen returns the length of codes at level l (0 for an invalid level).
func (l Level) CodeLen() int {
	if l < Province || l > Village {
		return 0
	}
	return codeLen[l]
}

// LevelOf tells a code's level by its length; it returns 0 for anything that is not a code of
// 2, 4, 6, 9 or 12 digits. It does not say whether the code exists.
func LevelOf(code string) Level {
	var l Level
	switch len(code) {
	case 2:
		l = Province
	case 4:
		l = City
	case 6:
		l = Area
	case 9:
		l = Street
	case 12:
		l = Village
	default:
		return 0
	}
	if !digits(code) {
		return 0
	}
	return l
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Division is one administrative division.
type Division struct {
	Code       string
	Name       string
	Level      Level
	ParentCode string // "" for a province
}

// upper holds the provinces, cities, areas and streets, each level sorted by code.
var upper struct {
	once   sync.Once
	levels [Village][]Division // index 1..4
}

func loadUpper() {
	upper.once.Do(func() {
		for _, f := range []struct {
			level     Level
			name, csv string
		}{
			{Province, "provinces.csv", provincesCSV},
			{City, "cities.csv", citiesCSV},
			{Area, "areas.csv", areasCSV},
			{Street, "streets.csv", streetsCSV},
		} {
			rows, err := parseUpper(f.csv, f.level)
			if err != nil {
				// The files are embedded and covered by the tests: this is a build defect.
				panic(fmt.Sprintf("division: data/%s: %v", f.name, err))
			}
			upper.levels[f.level] = rows
		}
	})
}

// parseUpper reads one of the upper-level files (code,name,parentCode,…). The returned
// strings share the embedded file's memory.
func parseUpper(data string, level Level) ([]Division, error) {
	var rows []Division
	var fields [6]string
	line := 0
	for len(data) > 0 {
		var l string
		l, data, _ = strings.Cut(data, "\n")
		line++
		l = strings.TrimSuffix(l, "\r")
		if line == 1 || l == "" {
			continue // header
		}
		f, err := splitCSV(l, fields[:0])
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		want := 3
		if level == Province {
			want = 2
		}
		if len(f) < want {
			return nil, fmt.Errorf("line %d: %d fields", line, len(f))
		}
		d := Division{Code: f[0], Name: f[1], Level: level}
		if level > Province {
			d.ParentCode = f[2]
		}
		if LevelOf(d.Code) != level || d.Name == "" || (level > Province && !strings.HasPrefix(d.Code, d.ParentCode)) ||
			(level > Province && LevelOf(d.ParentCode) != level-1) {
			return nil, fmt.Errorf("line %d: bad row %q", line, l)
		}
		rows = append(rows, d)
	}
	if !slices.IsSortedFunc(rows, func(a, b Division) int { return strings.Compare(a.Code, b.Code) }) {
		slices.SortFunc(rows, func(a, b Division) int { return strings.Compare(a.Code, b.Code) })
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].Code == rows[i-1].Code {
			return nil, fmt.Errorf("duplicate code %s", rows[i].Code)
		}
	}
	return rows, nil
}

// splitCSV splits one CSV line into fields (RFC 4180 quoting, no line breaks inside fields),
// appending to dst. Unquoted and simply quoted fields share l's memory.
func splitCSV(l string, dst []string) ([]string, error) {
	for {
		if strings.HasPrefix(l, `"`) {
			i := 1
			var b strings.Builder
			escaped := false
			for {
				j := strings.IndexByte(l[i:], '"')
				if j < 0 {
					return nil, fmt.Errorf("unterminated quote")
				}
				j += i
				if j+1 < len(l) && l[j+1] == '"' { // "" inside a quoted field
					b.WriteString(l[i : j+1])
					escaped = true
					i = j + 2
					continue
				}
				if escaped {
					b.WriteString(l[i:j])
					dst = append(dst, b.String())
				} else {
					dst = append(dst, l[1:j])
				}
				l = l[j+1:]
				break
			}
			if l == "" {
				return dst, nil
			}
			if l[0] != ',' {
				return nil, fmt.Errorf("text after a closing quote")
			}
			l = l[1:]
			continue
		}
		f, rest, more := strings.Cut(l, ",")
		dst = append(dst, f)
		if !more {
			return dst, nil
		}
		l = rest
	}
}

// span returns the rows of a sorted level whose code starts with prefix.
func span(rows []Division, prefix string) []Division {
	lo, _ := slices.BinarySearchFunc(rows, prefix, func(d Division, p string) int { return strings.Compare(d.Code, p) })
	hi := lo
	for hi < len(rows) && strings.HasPrefix(rows[hi].Code, prefix) {
		hi++
	}
	return rows[lo:hi]
}

// Get returns the division with code, at any level. Asking for a 村/社区 reads that
// province's 村/社区 once.
func Get(code string) (Division, bool) {
	l := LevelOf(code)
	switch l {
	case 0:
		return Division{}, false
	case Village:
		return villageShard(code[:2]).get(code)
	}
	loadUpper()
	rows := upper.levels[l]
	i, ok := slices.BinarySearchFunc(rows, code, func(d Division, c string) int { return strings.Compare(d.Code, c) })
	if !ok {
		return Division{}, false
	}
	return rows[i], true
}

// Children returns the divisions directly under code, sorted by code; "" gives the provinces.
// Unknown codes and 村/社区 have none. The slice is the caller's.
func Children(code string) []Division {
	if code == "" {
		loadUpper()
		return slices.Clone(upper.levels[Province])
	}
	switch l := LevelOf(code); l {
	case Province, City, Area:
		loadUpper()
		var out []Division
		for _, d := range span(upper.levels[l+1], code) {
			if d.ParentCode == code {
				out = append(out, d)
			}
		}
		return out
	case Street:
		return villageShard(code[:2]).children(code)
	}
	return nil
}

// HasChildren reports whether code has divisions under it ("" has the provinces).
func HasChildren(code string) bool {
	if code == "" {
		return true
	}
	switch l := LevelOf(code); l {
	case Province, City, Area:
		loadUpper()
		for _, d := range span(upper.levels[l+1], code) {
			if d.ParentCode == code {
				return true
			}
		}
	case Street:
		return villageShard(code[:2]).hasPrefix(code)
	}
	return false
}

// Path returns code's ancestors and code itself, from the province down; nil if code is unknown.
func Path(code string) []Division {
	d, ok := Get(code)
	if !ok {
		return nil
	}
	out := make([]Division, d.Level)
	for {
		out[d.Level-1] = d
		if d.ParentCode == "" {
			return out
		}
		if d, ok = Get(d.ParentCode); !ok {
			return nil
		}
	}
}
