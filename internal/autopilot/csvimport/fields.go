package csvimport

import "bytes"

// splitter parses the fields of one line with standard CSV quoting, bounded
// to that line. It reuses its buffers from line to line.
type splitter struct {
	buf  []byte // the unquoted field values, back to back
	ends []int  // the end of each field in buf
}

// split parses line. On failure it returns CodeUnterminatedQuote or
// CodeBadQuote and the 1-based number of the faulty field; the fields
// parsed so far are then incomplete.
func (s *splitter) split(line []byte) (code string, field int) {
	s.buf, s.ends = s.buf[:0], s.ends[:0]
	i := 0
	for {
		i = skipSpaces(line, i)
		if i < len(line) && line[i] == '"' {
			var ok bool
			if i, ok = s.quoted(line, i+1); !ok {
				return CodeUnterminatedQuote, len(s.ends) + 1
			}
			i = skipSpaces(line, i)
			if i < len(line) && line[i] != ',' {
				return CodeBadQuote, len(s.ends) + 1
			}
		} else {
			end := bytes.IndexByte(line[i:], ',')
			if end < 0 {
				end = len(line)
			} else {
				end += i
			}
			if bytes.IndexByte(line[i:end], '"') >= 0 {
				return CodeBadQuote, len(s.ends) + 1
			}
			s.buf = append(s.buf, line[i:end]...)
			i = end
		}
		s.ends = append(s.ends, len(s.buf))
		if i >= len(line) {
			return "", 0
		}
		i++ // the comma
	}
}

// quoted appends the body of a quoted field that starts at line[i] (just
// after the opening quote), undoubling "" and returns the index after the
// closing quote; ok is false when the quote is never closed.
func (s *splitter) quoted(line []byte, i int) (next int, ok bool) {
	for {
		k := bytes.IndexByte(line[i:], '"')
		if k < 0 {
			return len(line), false
		}
		s.buf = append(s.buf, line[i:i+k]...)
		i += k + 1
		if i < len(line) && line[i] == '"' {
			s.buf = append(s.buf, '"')
			i++
			continue
		}
		return i, true
	}
}

func skipSpaces(line []byte, i int) int {
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return i
}

// count returns the number of fields of the last successful split.
func (s *splitter) count() int { return len(s.ends) }

// field returns field i (0-based) of the last split, trimmed of spaces.
// The slice is valid until the next split.
func (s *splitter) field(i int) []byte {
	start := 0
	if i > 0 {
		start = s.ends[i-1]
	}
	return bytes.TrimSpace(s.buf[start:s.ends[i]])
}

// allEmpty reports whether every field of the last split is empty.
func (s *splitter) allEmpty() bool {
	return len(bytes.TrimSpace(s.buf)) == 0
}
