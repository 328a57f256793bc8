package runtime

// APIv1 is referenced by every file cachegen generates. A generated file
// that needs another API version refers to another name, so a generator and
// runtime that do not match fail to compile with an error naming the
// version, instead of misbehaving.
const APIv1 = true

// Task describes one cached function. Generated code declares one Task per
// //cache:task directive; its fields are plain data.
type Task struct {
	// ID is the task identity: the package path and function name
	// ("example.com/m/align.Align"), or the package path, receiver type name
	// and method name ("example.com/m/align.Aligner.Run").
	ID string
	// Fingerprint is the code fingerprint the generator computed: 16
	// lowercase hex digits.
	Fingerprint string
	// Version is the directive's version= value, if any.
	Version string
}
