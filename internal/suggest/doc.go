// Package suggest finds the word a person most likely meant: the
// did-you-mean of directive options, commands, task names, store schemes
// and refresh names.
package suggest
