// buildkit-parse: the peer for benchmarks/parser.sh.
//
// It reads a Dockerfile, runs BuildKit's Dockerfile frontend parser on it
// (parser.Parse, then instructions.Parse, which validates every instruction
// and flag) and prints the parse tree in BuildKit's dump format (Node.Dump),
// as `mab parse -f FILE` does. With -n it stops after validation and prints
// nothing, to show how much of the time is the dump.
//
// benchmarks/parser.sh builds it in GOPATH mode against the BuildKit source
// that Debian ships (vendored in the docker.io source package); the binary
// goes to benchmarks/out/ and is never committed.
//
// Usage: buildkit-parse [-n] FILE
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

func main() {
	noDump := flag.Bool("n", false, "validate only; do not print the parse tree")
	flag.Usage = func() { fmt.Fprintln(os.Stderr, "usage: buildkit-parse [-n] FILE") }
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	name := flag.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	result, err := parser.Parse(f)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
	if _, _, err := instructions.Parse(result.AST); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
	if *noDump {
		return
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fmt.Fprint(w, result.AST.Dump())
}
