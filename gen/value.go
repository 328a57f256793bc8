package gen

import (
	"bytes"
	"errors"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/cachegen/cachegen/gen/directive"
	"github.com/cachegen/cachegen/gen/taskname"
)

// ValueTestName is the test ValueTest writes, and the markers it prints
// the value between.
const (
	ValueTestName = "TestCachegenValue"
	ValueBegin    = "--- cachegen value ---"
	ValueEnd      = "--- end of value ---"
)

// ValueTest returns a test file for the package of t, and the package's
// directory: run there with go test -run TestCachegenValue (through an
// overlay, so the package's files are untouched), it reads the entry in
// the file $CACHEGEN_VALUE_ENTRY, decodes it as t's stored type and
// prints it as JSON between ValueBegin and ValueEnd. It is how "cachegen
// inspect -value" shows a value with its real type. Generic tasks are not
// supported (an instantiation's type arguments are not in the source).
func ValueTest(t *Task) (dir string, src []byte, err error) {
	switch {
	case t.Kind != directive.Cache:
		return "", nil, errors.New("only a //cache:task's entries are stored")
	case t.Generic():
		return "", nil, errors.New("a generic task's value type depends on its instantiation; inspect -value does not decode it")
	case len(t.Results) == 0:
		return "", nil, errors.New("the task has no result")
	}
	dir = filepath.Dir(t.Pos.Filename)
	f, err := parser.ParseFile(token.NewFileSet(), t.Pos.Filename, nil, parser.PackageClauseOnly)
	if err != nil {
		return "", nil, err
	}
	typ := t.Results[0]
	if len(t.Results) > 1 {
		typ = jen.Id(taskname.Results(t.Kind, t.Name()))
	}
	out := jen.NewFilePathName(strings.TrimSuffix(t.ID, "."+t.Name()), f.Name.Name)
	out.HeaderComment("Written by cachegen inspect -value into an overlay; never on disk.")
	out.ImportAlias(RuntimePath, "cgrt")
	out.Func().Id(ValueTestName).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.List(jen.Id("data"), jen.Err()).Op(":=").Qual("os", "ReadFile").Call(jen.Qual("os", "Getenv").Call(jen.Lit("CACHEGEN_VALUE_ENTRY"))),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
		jen.List(jen.Id("v"), jen.Err()).Op(":=").Qual(RuntimePath, "DecodeEntry").Types(typ).Call(jen.Id("data")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
		jen.List(jen.Id("out"), jen.Err()).Op(":=").Qual("encoding/json", "MarshalIndent").Call(jen.Id("v"), jen.Lit(""), jen.Lit("  ")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
		jen.Qual("fmt", "Printf").Call(jen.Lit(ValueBegin+"\n%s\n"+ValueEnd+"\n"), jen.Id("out")),
	)
	var buf bytes.Buffer
	if err := out.Render(&buf); err != nil {
		return "", nil, err
	}
	return dir, buf.Bytes(), nil
}
