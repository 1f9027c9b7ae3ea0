// Command sqlq runs SQL against a SQLite file with the platform's driver (modernc.org/sqlite),
// for looking at query plans: sqlq FILE 'SQL' ['SQL' …]. Development aid of the benchmarks.
package main

import (
	"database/sql"
	"fmt"
	"os"
	"strings"
	"time"

	_ "modernc.org/sqlite"
)

func main() {
	d, err := sql.Open("sqlite", "file:"+os.Args[1]+"?_pragma=busy_timeout(10000)")
	if err != nil {
		panic(err)
	}
	for _, q := range os.Args[2:] {
		start := time.Now()
		rows, err := d.Query(q)
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			var parts []string
			for _, v := range vals {
				parts = append(parts, fmt.Sprint(v))
			}
			fmt.Println(strings.Join(parts, "|"))
		}
		if err := rows.Err(); err != nil {
			fmt.Println("error:", err)
		}
		rows.Close()
		fmt.Printf("-- %s\n", time.Since(start))
	}
}
