// Package task holds tasks that reach hidden inputs through helpers of
// other packages of the module.
package task

import (
	"example.com/elsewhere"
	"example.com/facts/conf"
	"example.com/facts/other"
	"example.com/facts/util"
)

// Direct calls conf.Region.
//
// want +2 `^Direct reads the environment \(os.Getenv, via example.com/facts/conf.Region\) which the cache key cannot see; add it to the key or allow=env$`
//
//cache:task
func Direct(x int) string { return conf.Region() } // want Direct:`^reads env \(os.Getenv, via example.com/facts/conf.Region\)$`

// Deep reaches conf.Region through util.Zone.
//
// want +2 `^Deep reads the environment \(os.Getenv, via example.com/facts/util.Zone -> example.com/facts/conf.Region\) which the cache key cannot see; add it to the key or allow=env$`
//
//memo:task
func Deep() string { return util.Zone() } // want Deep:`reads env`

// Clock reaches conf.Stamp through a helper of its own package.
//
// want +2 `^Clock reads the clock \(time.Now, via example.com/facts/conf.Stamp\) which the cache key cannot see; add it to the key or allow=clock$`
//
//cache:task
func Clock() int64 { return since() } // want Clock:`^reads clock \(time.Now, via example.com/facts/conf.Stamp\)$`

func since() int64 { return conf.Stamp() }

// Global reads conf's mutable hits through conf.Hits.
//
// want +2 `^Global reads the mutable package-level variable example.com/facts/conf.hits \(via example.com/facts/conf.Hits\) which the cache key cannot see; add it to the key or allow=globals$`
//
//cache:task
func Global() int { return conf.Hits() } // want Global:`globals`

// Count reads conf's mutable Counter directly.
//
// want +2 `^Count reads the mutable package-level variable example.com/facts/conf.Counter which the cache key cannot see; add it to the key or allow=globals$`
//
//cache:task
func Count() int { return conf.Counter + conf.Limit } // want Count:`^reads globals \(example.com/facts/conf.Counter\)$`

// Home calls a method of conf.Config.
//
// want +2 `^Home reads the environment \(os.Getenv, via \(\*example.com/facts/conf.Config\).Home\) which`
//
//cache:task
func Home(c *conf.Config) string { return c.Home() } // want Home:`reads env`

// Cycle reads the clock through a cycle of conf's helpers.
//
// want +2 `^Cycle reads the clock \(time.Since, via example.com/facts/conf.Cycle\) which`
//
//cache:task
func Cycle(n int) int64 { return conf.Cycle(n) } // want Cycle:`reads clock`

// Partly allows the environment: only the clock is reported.
//
// want +2 `^Partly reads the clock \(time.Now, via example.com/facts/conf.Both\) which`
//
//cache:task allow=env
func Partly() string { r, _ := conf.Both(); return r } // want Partly:`^reads env \(os.Getenv, via example.com/facts/conf.Both\), clock \(time.Now, via example.com/facts/conf.Both\)$`

// Allowed allows both: silent, but its fact still lists them, since a
// caller's key cannot see them either.
//
//cache:task allow=env,clock
func Allowed() string { r, _ := conf.Both(); return r } // want Allowed:`reads env .*, clock`

// Pure reaches only pure helpers: silent.
//
//cache:task
func Pure(x int) int { return util.Double(x) }

// Param reads only its parameter, even one of conf's types: silent.
//
//cache:task
func Param(c conf.Config) string { return c.Name }

// Elsewhere calls helpers of other modules, which are not followed:
// silent.
//
//cache:task
func Elsewhere() (string, int64) { return other.Env(), elsewhere.Now() }

// Wrapped calls another task's wrapper, which is not followed: silent.
//
//cache:task
func Wrapped() string { return DirectCached(1) }

// init sets conf.Scale: for this package's tasks it is a mutable global.
func init() { conf.Scale = 3 }

// Scaled reads conf.Scale, which this package assigns.
//
// want +2 `^Scaled reads the mutable package-level variable example.com/facts/conf.Scale which the cache key cannot see; add it to the key or allow=globals$`
//
//cache:task
func Scaled(x int) int { return x * conf.Scale } // want Scaled:`^reads globals \(example.com/facts/conf.Scale\)$`
