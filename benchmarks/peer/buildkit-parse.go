// buildkit-parse: the peer for benchmarks/parser.sh.
//
// It reads a Dockerfile, runs BuildKit's Dockerfile frontend parser on it
// (parser.Parse, then instructions.Parse, which validates every instruction
// and flag) and prints the parse tree in BuildKit's dump format, as
// `mab parse -f FILE` does. benchmarks/parser.sh builds it in GOPATH mode
// against the BuildKit source that Debian ships (vendored in the docker.io
// source package); the binary goes to benchmarks/out/ and is never committed.
//
// Usage: buildkit-parse FILE
package main

import (
	"bufio"
	"fmt"
	"os"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: buildkit-parse FILE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	result, err := parser.Parse(f)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	if _, _, err := instructions.Parse(result.AST); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fmt.Fprint(w, result.AST.Dump())
}
