// Command dangjian is the 基层党建综合管理平台: one binary that serves the platform and
// administers it (migrate, users, organisations, demo data).
package main

import (
	"context"
	"os"

	"github.com/dangjian/dangjian/internal/cli"
)

func main() {
	app := &cli.App{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	os.Exit(app.Run(context.Background(), os.Args[1:]))
}
