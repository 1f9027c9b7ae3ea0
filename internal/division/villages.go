package division

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// The 村/社区 file is sorted by code and gzipped; it can only be read from the start. A province
// is read into a shard the first time one of its 村/社区 is asked for by code (Get, Children,
// HasChildren); Scan and Walk stream without keeping anything, or use a shard already read.

// shard is one province's 村/社区, compact: codes is n 12-digit codes back to back, names the
// names back to back, ends[i] the end of name i in names.
type shard struct {
	codes string
	names string
	ends  []uint32
}

var shards [100]struct {
	once sync.Once
	s    atomic.Pointer[shard] // set once read
}

// villageShard returns the 村/社区 of province p (two digits), reading them on first use.
func villageShard(p string) *shard {
	n := int(p[0]-'0')*10 + int(p[1]-'0')
	sh := &shards[n]
	sh.once.Do(func() {
		var codes, names strings.Builder
		var ends []uint32
		r := newVillageReader(p)
		for r.next() {
			codes.Write(r.code)
			names.Write(r.name)
			ends = append(ends, uint32(names.Len()))
		}
		if r.err != nil {
			// The file is embedded and covered by the tests: this is a build defect.
			panic("division: data/villages.csv.gz: " + r.err.Error())
		}
		sh.s.Store(&shard{codes: codes.String(), names: names.String(), ends: ends})
	})
	return sh.s.Load()
}

func (s *shard) len() int { return len(s.ends) }

func (s *shard) code(i int) string { return s.codes[i*12 : i*12+12] }

func (s *shard) name(i int) string {
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.names[start:s.ends[i]]
}

func (s *shard) division(i int) Division {
	c := s.code(i)
	return Division{Code: c, Name: s.name(i), Level: Village, ParentCode: c[:9]}
}

// search returns the first index whose code is >= prefix.
func (s *shard) search(prefix string) int {
	return sort.Search(s.len(), func(i int) bool { return s.code(i) >= prefix })
}

func (s *shard) get(code string) (Division, bool) {
	i := s.search(code)
	if i < s.len() && s.code(i) == code {
		return s.division(i), true
	}
	return Division{}, false
}

func (s *shard) hasPrefix(prefix string) bool {
	i := s.search(prefix)
	return i < s.len() && strings.HasPrefix(s.code(i), prefix)
}

func (s *shard) children(street string) []Division {
	var out []Division
	for i := s.search(street); i < s.len() && strings.HasPrefix(s.code(i), street); i++ {
		out = append(out, s.division(i))
	}
	return out
}

// villageReader streams the rows of the 村/社区 file whose code starts with prefix.
type villageReader struct {
	prefix     string
	gz         *gzip.Reader
	br         *bufio.Reader
	code, name []byte // the current row; valid until the next call of next
	line       int
	done       bool
	err        error
}

func newVillageReader(prefix string) *villageReader {
	r := &villageReader{prefix: prefix}
	gz, err := gzip.NewReader(bytes.NewReader(villagesGz))
	if err != nil {
		r.err, r.done = err, true
		return r
	}
	r.gz = gz
	r.br = bufio.NewReaderSize(gz, 64<<10)
	return r
}

// next advances to the next row under the prefix; false at the end or on an error (r.err).
func (r *villageReader) next() bool {
	for !r.done {
		l, err := r.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			r.fail(fmt.Errorf("line %d too long", r.line+1))
			return false
		}
		if err != nil && err != io.EOF {
			r.fail(err)
			return false
		}
		if err == io.EOF {
			r.close()
			if len(l) == 0 {
				return false
			}
		}
		r.line++
		l = bytes.TrimRight(l, "\r\n")
		if r.line == 1 || len(l) == 0 {
			continue // header
		}
		if len(l) < 13 || l[12] != ',' {
			r.fail(fmt.Errorf("line %d: bad row %q", r.line, l))
			return false
		}
		code := l[:12]
		if len(r.prefix) > 0 {
			switch c := bytes.Compare(code[:len(r.prefix)], []byte(r.prefix)); {
			case c < 0:
				continue
			case c > 0:
				r.close() // the file is sorted: nothing more under the prefix
				return false
			}
		}
		if err := r.parse(l); err != nil {
			r.fail(fmt.Errorf("line %d: %v", r.line, err))
			return false
		}
		return true
	}
	return false
}

// parse reads code,name,streetCode,… of one row.
func (r *villageReader) parse(l []byte) error {
	var fields [6]string
	f, err := splitCSV(string(l), fields[:0])
	if err != nil {
		return err
	}
	if len(f) < 3 || LevelOf(f[0]) != Village || f[1] == "" || f[2] != f[0][:9] {
		return fmt.Errorf("bad row %q", l)
	}
	r.code = append(r.code[:0], f[0]...)
	r.name = append(r.name[:0], f[1]...)
	return nil
}

func (r *villageReader) fail(err error) {
	r.err = err
	r.close()
}

func (r *villageReader) close() {
	r.done = true
	if r.gz != nil {
		r.gz.Close()
		r.gz, r.br = nil, nil
	}
}

// Scanner streams the divisions of one level under a code prefix, in code order, in the manner
// of bufio.Scanner:
//
//	s := division.Scan(division.Village, "37")
//	defer s.Close()
//	for s.Next() {
//		d := s.Division()
//		…
//	}
//	if err := s.Err(); err != nil { … }
//
// For 村/社区 it decompresses the embedded file as it goes and keeps nothing (unless the
// province was already read by Get or Children, which it then uses).
type Scanner struct {
	rows  []Division     // upper levels, or a shard already read
	sh    *shard         // shard already read
	i, hi int            // position in rows or sh
	vr    *villageReader // streaming 村/社区
	cur   Division
	err   error
}

// Scan returns a Scanner over the divisions of level whose code starts with prefix ("" for all).
// A prefix that is not digits, or is longer than the level's codes, yields nothing.
func Scan(level Level, prefix string) *Scanner {
	s := &Scanner{}
	switch {
	case level < Province || level > Village:
		s.err = fmt.Errorf("division: invalid level %d", int(level))
		return s
	case len(prefix) > level.CodeLen() || !digits(prefix):
		return s
	case level < Village:
		loadUpper()
		s.rows = span(upper.levels[level], prefix)
		s.hi = len(s.rows)
		return s
	}
	if len(prefix) >= 2 {
		n := int(prefix[0]-'0')*10 + int(prefix[1]-'0')
		if sh := shards[n].s.Load(); sh != nil {
			s.sh = sh
			s.i = sh.search(prefix)
			s.hi = s.i
			for s.hi < sh.len() && strings.HasPrefix(sh.code(s.hi), prefix) {
				s.hi++
			}
			return s
		}
	}
	s.vr = newVillageReader(prefix)
	return s
}

// Next advances to the next division; false at the end or on an error (see Err).
func (s *Scanner) Next() bool {
	switch {
	case s.vr != nil:
		if !s.vr.next() {
			s.err = s.vr.err
			return false
		}
		code := string(s.vr.code)
		s.cur = Division{Code: code, Name: string(s.vr.name), Level: Village, ParentCode: code[:9]}
		return true
	case s.sh != nil:
		if s.i >= s.hi {
			return false
		}
		s.cur = s.sh.division(s.i)
		s.i++
		return true
	default:
		if s.i >= s.hi {
			return false
		}
		s.cur = s.rows[s.i]
		s.i++
		return true
	}
}

// Division returns the current division.
func (s *Scanner) Division() Division { return s.cur }

// Err returns the error that stopped the scan, if any.
func (s *Scanner) Err() error { return s.err }

// Close releases the decompressor of a scan stopped early; it is safe to call more than once.
func (s *Scanner) Close() error {
	if s.vr != nil {
		s.vr.close()
	}
	return nil
}

// Walk calls fn for each division of level whose code starts with prefix, in code order; an
// error from fn stops the walk and is returned. For 村/社区 it streams (see Scanner): all the
// 村/社区 of 山东 are Walk(Village, "37", fn).
func Walk(level Level, prefix string, fn func(Division) error) error {
	s := Scan(level, prefix)
	defer s.Close()
	for s.Next() {
		if err := fn(s.Division()); err != nil {
			return err
		}
	}
	return s.Err()
}
