package task // want package:`sources\(\d+ declarations\)`

// This file only carries the expectation of the package fact, which
// analysistest places on line 1 of the first file.
