package astcanon

import (
	"go/ast"
	"reflect"
)

// The rule, field by field: every exported field of every go/ast node
// counts in the canonical text, except the ones listed in layoutOnly, each
// with the reason it carries no meaning. A field of type token.Pos that is
// not listed counts by its presence: the text says " Field=set" when it is
// valid and nothing at all when it is not, so a tree that does not use it
// reads exactly as it did before positions counted. meaningByPresence
// lists those fields with what their presence means; a position field that
// a future go/ast adds counts by presence too (the safe side: a spurious
// difference costs a cache miss, a missed one a stale result), and
// TestEveryField fails until it is decided here.
//
// Besides the fields, a few rules work on values (astcanon.go): a
// *ParenExpr is written as its X, an empty *FieldList as nil, an
// *EmptyStmt in a statement list not at all, and a *BasicLit by its kind
// and exact value. A *CommentGroup is only ever reached through the Doc,
// Comment and Comments fields listed below.

const (
	pos       = "a position: layout"
	comments  = "comments do not count"
	resolved  = "the parser's object resolution (deprecated); the type checker resolves names"
	delimiter = "the position of a delimiter the node always has: layout"
	keyword   = "the position of the keyword the node type already says: layout"
)

// layoutOnly lists, by node type, the fields that are layout only, with
// why. The writer skips exactly these.
var layoutOnly = map[reflect.Type]map[string]string{
	reflect.TypeFor[ast.Field]():        {"Doc": comments, "Comment": comments},
	reflect.TypeFor[ast.FieldList]():    {"Opening": "parentheses or brackets around a list: (int) and int as a result are the same", "Closing": delimiter},
	reflect.TypeFor[ast.BadExpr]():      {"From": pos, "To": pos},
	reflect.TypeFor[ast.Ident]():        {"NamePos": pos, "Obj": resolved},
	reflect.TypeFor[ast.Ellipsis]():     {"Ellipsis": "the node itself says ... is there"},
	reflect.TypeFor[ast.BasicLit]():     {"ValuePos": pos, "ValueEnd": pos},
	reflect.TypeFor[ast.CompositeLit](): {"Lbrace": delimiter, "Rbrace": delimiter},
	reflect.TypeFor[ast.ParenExpr](): {"Lparen": "parentheses only group, and the tree says how (the node is written as its X)",
		"Rparen": delimiter},
	reflect.TypeFor[ast.IndexExpr]():      {"Lbrack": delimiter, "Rbrack": delimiter},
	reflect.TypeFor[ast.IndexListExpr]():  {"Lbrack": delimiter, "Rbrack": delimiter},
	reflect.TypeFor[ast.SliceExpr]():      {"Lbrack": delimiter, "Rbrack": delimiter},
	reflect.TypeFor[ast.TypeAssertExpr](): {"Lparen": delimiter, "Rparen": delimiter},
	reflect.TypeFor[ast.CallExpr]():       {"Lparen": delimiter, "Rparen": delimiter},
	reflect.TypeFor[ast.StarExpr]():       {"Star": pos},
	reflect.TypeFor[ast.UnaryExpr]():      {"OpPos": "the operator's position; Op says which"},
	reflect.TypeFor[ast.BinaryExpr]():     {"OpPos": "the operator's position; Op says which"},
	reflect.TypeFor[ast.KeyValueExpr]():   {"Colon": delimiter},
	reflect.TypeFor[ast.ArrayType]():      {"Lbrack": "a slice has a nil Len, an array a Len: the bracket is layout"},
	reflect.TypeFor[ast.StructType]():     {"Struct": keyword},
	reflect.TypeFor[ast.FuncType](): {"Func": "whether func was written (a func literal or declaration, not an interface method): " +
		"the enclosing node says it"},
	reflect.TypeFor[ast.InterfaceType](): {"Interface": keyword},
	reflect.TypeFor[ast.MapType]():       {"Map": keyword},
	reflect.TypeFor[ast.ChanType]():      {"Begin": keyword, "Arrow": "the arrow's position; Dir says the direction"},
	reflect.TypeFor[ast.BadStmt]():       {"From": pos, "To": pos},
	reflect.TypeFor[ast.EmptyStmt](): {"Semicolon": "the semicolon's position",
		"Implicit": "whether the ; was written or implied by a newline or }: gofmt turns L: ;} into L:\\n}"},
	reflect.TypeFor[ast.LabeledStmt]():    {"Colon": delimiter},
	reflect.TypeFor[ast.SendStmt]():       {"Arrow": delimiter},
	reflect.TypeFor[ast.IncDecStmt]():     {"TokPos": "the operator's position; Tok says which"},
	reflect.TypeFor[ast.AssignStmt]():     {"TokPos": "the operator's position; Tok says which"},
	reflect.TypeFor[ast.GoStmt]():         {"Go": keyword},
	reflect.TypeFor[ast.DeferStmt]():      {"Defer": keyword},
	reflect.TypeFor[ast.ReturnStmt]():     {"Return": keyword},
	reflect.TypeFor[ast.BranchStmt]():     {"TokPos": "the keyword's position; Tok says which"},
	reflect.TypeFor[ast.BlockStmt]():      {"Lbrace": delimiter, "Rbrace": delimiter},
	reflect.TypeFor[ast.IfStmt]():         {"If": keyword},
	reflect.TypeFor[ast.CaseClause]():     {"Case": "case or default: a default clause has a nil List", "Colon": delimiter},
	reflect.TypeFor[ast.SwitchStmt]():     {"Switch": keyword},
	reflect.TypeFor[ast.TypeSwitchStmt](): {"Switch": keyword},
	reflect.TypeFor[ast.CommClause]():     {"Case": "case or default: a default clause has a nil Comm", "Colon": delimiter},
	reflect.TypeFor[ast.SelectStmt]():     {"Select": keyword},
	reflect.TypeFor[ast.ForStmt]():        {"For": keyword},
	reflect.TypeFor[ast.RangeStmt](): {"For": keyword, "TokPos": "the position of := or =; Tok says which (ILLEGAL without a key)",
		"Range": keyword},
	reflect.TypeFor[ast.ImportSpec](): {"Doc": comments, "Comment": comments, "EndPos": pos},
	reflect.TypeFor[ast.ValueSpec]():  {"Doc": comments, "Comment": comments},
	reflect.TypeFor[ast.TypeSpec]():   {"Doc": comments, "Comment": comments},
	reflect.TypeFor[ast.BadDecl]():    {"From": pos, "To": pos},
	reflect.TypeFor[ast.GenDecl](): {"Doc": comments, "TokPos": "the keyword's position; Tok says which",
		"Lparen": "a grouped and an ungrouped declaration declare the same; implicit repetition in a const group shows in its specs",
		"Rparen": delimiter},
	reflect.TypeFor[ast.FuncDecl](): {"Doc": comments},
	reflect.TypeFor[ast.File](): {"Doc": comments, "Package": keyword, "FileStart": pos, "FileEnd": pos,
		"Scope": resolved, "Unresolved": resolved, "Comments": comments},
}

// meaningByPresence lists the position fields whose presence carries
// meaning, with what it means. The writer does not read it (every
// position not in layoutOnly counts by presence); TestEveryField checks
// that the two tables decide every position field of go/ast.
var meaningByPresence = map[reflect.Type]map[string]string{
	reflect.TypeFor[ast.CallExpr](): {"Ellipsis": "f(xs...) passes the slice as the variadic parameter; f(xs) passes one value"},
	reflect.TypeFor[ast.TypeSpec](): {"Assign": "type A = B declares an alias of B; type A B a new type"},
}

// notInTrees lists the go/ast struct types that never occur in the tree
// of a declaration, with why.
var notInTrees = map[reflect.Type]string{
	reflect.TypeFor[ast.Comment]():      comments,
	reflect.TypeFor[ast.CommentGroup](): comments,
	reflect.TypeFor[ast.Object]():       resolved,
	reflect.TypeFor[ast.Scope]():        resolved,
	reflect.TypeFor[ast.Package]():      "a deprecated set of files, never part of a declaration",
}

// skipField reports whether field f of node type t is layout only.
func skipField(t reflect.Type, f string) bool {
	_, ok := layoutOnly[t][f]
	return ok
}
