package directive_test

import (
	"fmt"
	"go/token"

	"github.com/cachegen/cachegen/gen/directive"
)

func ExampleParse() {
	pos := token.Position{Filename: "tiles.go", Line: 12, Column: 1}
	d, errs := directive.Parse("//cache:task version=2 key=`cfg.Region + id` ttl=24h", pos)
	fmt.Println(d.Kind, len(errs))
	for _, o := range d.Options {
		fmt.Printf("%s=%q at column %d\n", o.Name, o.Value, o.Pos.Column)
	}
	fmt.Println(d)

	_, errs = directive.Parse("//cache:task verison=2", pos)
	fmt.Println(errs[0])
	_, errs = directive.Parse("// memo:task", pos)
	fmt.Println(errs[0])
	// Output:
	// cache:task 0
	// version="2" at column 14
	// key="cfg.Region + id" at column 24
	// ttl="24h" at column 46
	// //cache:task version=2 key="cfg.Region + id" ttl=24h
	// tiles.go:12:14: unknown option "verison"; did you mean "version"?
	// tiles.go:12:1: write //memo:task with no space after //
}
