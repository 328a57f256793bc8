package codec

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strings"
	"testing"
)

// shapeTypes lists every ok*/bad* type of shapes_test.go.
var shapeTypes = map[string]reflect.Type{
	"okBasic":          reflect.TypeFor[okBasic](),
	"okNamed":          reflect.TypeFor[okNamed](),
	"okSlice":          reflect.TypeFor[okSlice](),
	"okNilable":        reflect.TypeFor[okNilable](),
	"okArray":          reflect.TypeFor[okArray](),
	"okMapKeys":        reflect.TypeFor[okMapKeys](),
	"badTimeDefined":   reflect.TypeFor[badTimeDefined](),
	"okTimeFields":     reflect.TypeFor[okTimeFields](),
	"okRecursive":      reflect.TypeFor[okRecursive](),
	"okMutualA":        reflect.TypeFor[okMutualA](),
	"okMutualB":        reflect.TypeFor[okMutualB](),
	"okMarshaler":      reflect.TypeFor[okMarshaler](),
	"okValueMarshaler": reflect.TypeFor[okValueMarshaler](),
	"okBlank":          reflect.TypeFor[okBlank](),
	"okEmbedded":       reflect.TypeFor[okEmbedded](),
	"OkInner":          reflect.TypeFor[OkInner](),
	"OkOther":          reflect.TypeFor[OkOther](),
	"okPromoted":       reflect.TypeFor[okPromoted](),
	"okEmptyStruct":    reflect.TypeFor[okEmptyStruct](),
	"okByteMarshaler":  reflect.TypeFor[okByteMarshaler](),
	"okBytes":          reflect.TypeFor[okBytes](),
	"okAlias":          reflect.TypeFor[okAlias](),
	"okBoxInt":         reflect.TypeFor[okBoxInt](),
	"okBoxTime":        reflect.TypeFor[okBoxTime](),
	"badAny":           reflect.TypeFor[badAny](),
	"badIface":         reflect.TypeFor[badIface](),
	"badChan":          reflect.TypeFor[badChan](),
	"badFunc":          reflect.TypeFor[badFunc](),
	"badUnsafe":        reflect.TypeFor[badUnsafe](),
	"badUnexported":    reflect.TypeFor[badUnexported](),
	"badNested":        reflect.TypeFor[badNested](),
	"badMapKey":        reflect.TypeFor[badMapKey](),
	"badMapVal":        reflect.TypeFor[badMapVal](),
	"badEmbedLower":    reflect.TypeFor[badEmbedLower](),
	"badRecursive":     reflect.TypeFor[badRecursive](),
	"badHalfMarshaler": reflect.TypeFor[badHalfMarshaler](),
	"badEmbedsIface":   reflect.TypeFor[badEmbedsIface](),
	"badPtrToIface":    reflect.TypeFor[badPtrToIface](),
	"badBoxChan":       reflect.TypeFor[badBoxChan](),
	"badPromotedHalf":  reflect.TypeFor[badPromotedHalf](),
}

// TestShapeVerdicts checks the codec's verdict on every shape against its
// name; gen/internal/valcheck checks its own against the same names, so the
// two agree type by type.
func TestShapeVerdicts(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "shapes_test.go", nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	declared := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, s := range g.Specs {
			name := s.(*ast.TypeSpec).Name.Name
			if strings.HasPrefix(name, "helper") {
				continue
			}
			declared++
			if shapeTypes[name] == nil {
				t.Errorf("shape %s is not in shapeTypes", name)
			}
		}
	}
	if declared != len(shapeTypes) {
		t.Errorf("shapes_test.go declares %d shapes, shapeTypes lists %d", declared, len(shapeTypes))
	}
	for name, typ := range shapeTypes {
		wantOK := strings.HasPrefix(strings.ToLower(name), "ok")
		err := Check(typ)
		if (err == nil) != wantOK {
			t.Errorf("Check(%s) = %v, want ok=%v", name, err, wantOK)
		}
		if wantOK && err == nil {
			// Accepted shapes also encode and decode their zero value.
			p, _ := planFor(typ)
			v := reflect.New(typ)
			e := encoder{}
			if err := p.enc(&e, v.UnsafePointer()); err != nil {
				t.Errorf("%s: encode zero: %v", name, err)
				continue
			}
			d := decoder{data: e.buf}
			if err := p.dec(&d, reflect.New(typ).UnsafePointer()); err != nil || d.off != len(e.buf) {
				t.Errorf("%s: decode zero: %v", name, err)
			}
		}
	}
}
