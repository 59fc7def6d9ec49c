package odata

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"math"
	"strings"
)

// Skip tokens are opaque to clients: URL-safe base64 (no padding) of a
// version byte, the offset as an unsigned varint, and the first 8 bytes of a
// SHA-256 over the query's canonical $filter, $orderby and $search. A token
// replayed against a query that selects or orders rows differently is
// rejected. Tokens are not signed: the offset is not a secret.

const (
	skipTokenVersion = 1
	fingerprintSize  = 8
	maxSkipTokenLen  = 64
)

// fingerprint hashes the options that decide which rows are paged, and in
// what order. A nil Query hashes like one with no options.
func (q *Query) fingerprint() []byte {
	var filter, search string
	var order []string
	if q != nil {
		filter, search = q.Filter.String(), q.Search.String()
		for _, o := range q.OrderBy {
			order = append(order, o.String())
		}
	}
	sum := sha256.Sum256([]byte("filter=" + filter + "\x00orderby=" + strings.Join(order, ",") + "\x00search=" + search))
	return sum[:fingerprintSize]
}

// EncodeSkipToken returns the $skiptoken that resumes q at offset (the
// number of matching items to skip; negative counts as 0). Only q's Filter,
// OrderBy and Search go into the token; a nil q is treated as a query
// without them.
func EncodeSkipToken(q *Query, offset int) string {
	buf := []byte{skipTokenVersion}
	buf = binary.AppendUvarint(buf, uint64(max(offset, 0)))
	buf = append(buf, q.fingerprint()...)
	return base64.RawURLEncoding.EncodeToString(buf)
}

// DecodeSkipToken returns the offset carried by a token from
// EncodeSkipToken. It fails with an *Error (Option "$skiptoken") when the
// token is malformed or was issued for a query with a different $filter,
// $orderby or $search than q, and for offsets above math.MaxInt32.
// ParseQuery calls it for $skiptoken.
func DecodeSkipToken(q *Query, token string) (int, error) {
	invalid := errOpt("$skiptoken", "expected a skip token from a previous @odata.nextLink but found an invalid token")
	if len(token) > maxSkipTokenLen {
		return 0, invalid
	}
	buf, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(token, "="))
	if err != nil || len(buf) < 2+fingerprintSize || buf[0] != skipTokenVersion {
		return 0, invalid
	}
	offset, n := binary.Uvarint(buf[1:])
	if n <= 0 || offset > math.MaxInt32 || len(buf) != 1+n+fingerprintSize {
		return 0, invalid
	}
	if !bytes.Equal(buf[1+n:], q.fingerprint()) {
		return 0, errOpt("$skiptoken", "expected a skip token for this query but found one issued for a different $filter, $orderby or $search")
	}
	return int(offset), nil
}
