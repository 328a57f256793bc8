// Package golangci registers cachegen's analyzer as a golangci-lint module
// plugin, so the linter most teams run (and the editors that run it)
// report what "cachegen vet" reports. Add it to .custom-gcl.yml:
//
//	version: v2.15.0
//	plugins:
//	  - module: github.com/cachegen/cachegen
//	    import: github.com/cachegen/cachegen/golangci
//
// build the linter with "golangci-lint custom", and enable it in
// .golangci.yml:
//
//	linters:
//	  enable: [cachegen]
//	  settings:
//	    custom:
//	      cachegen:
//	        type: module
//
// gopls cannot load a third-party analyzer; golangci-lint's editor
// integrations can.
package golangci
