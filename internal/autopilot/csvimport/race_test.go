//go:build race

package csvimport

// millionRows is the row count of TestMillionRowsBoundedMemory: the race
// detector slows byte loops about tenfold, so it streams a tenth.
const millionRows = 100_000
