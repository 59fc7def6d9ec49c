//go:build !race

package csvimport

// millionRows is the row count of TestMillionRowsBoundedMemory.
const millionRows = 1_000_000
