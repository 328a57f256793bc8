package cli

import "embed"

// The manual pages, printed by help and -h: cachegen.txt for the command
// as a whole, one file for each group of subcommands.
//
//go:embed help/*.txt
var manuals embed.FS

// help returns the manual page called name.
func help(name string) string {
	b, err := manuals.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic(err) // the pages are embedded: a missing one is a build mistake
	}
	return string(b)
}
