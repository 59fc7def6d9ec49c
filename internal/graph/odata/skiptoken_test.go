package odata

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"testing"
)

func parseQ(t *testing.T, raw string) *Query {
	t.Helper()
	q, err := ParseQuery(mustValues(t, raw), testOpts)
	if err != nil {
		t.Fatalf("ParseQuery(%q): %v", raw, err)
	}
	return q
}

func TestSkipTokenRoundTrip(t *testing.T) {
	q := parseQ(t, "$filter=size gt 1&$orderby=size desc&$search=%22displayName:a%22")
	for _, off := range []int{0, 1, 127, 128, 1000, 1 << 30} {
		tok := EncodeSkipToken(q, off)
		if strings.ContainsAny(tok, "+/=") {
			t.Errorf("token %q is not URL-safe", tok)
		}
		got, err := DecodeSkipToken(q, tok)
		if err != nil || got != off {
			t.Errorf("offset %d: got %d, %v", off, got, err)
		}
		// The same query spelt differently accepts the token, and so does
		// a request that changes only $top, $select or $count.
		raw := "$FILTER=SIZE GT 1&orderby=Size DESC&$top=3&$select=id&$count=true&$search=%22DisplayName:a%22&$skiptoken=" + url.QueryEscape(tok)
		if q2 := parseQ(t, raw); q2.Skip != off || q2.SkipToken != tok {
			t.Errorf("ParseQuery with token: Skip = %d, want %d", q2.Skip, off)
		}
	}
	if got, err := DecodeSkipToken(nil, EncodeSkipToken(nil, -5)); err != nil || got != 0 {
		t.Errorf("nil query: %d %v", got, err)
	}
	if _, err := DecodeSkipToken(q, EncodeSkipToken(q, 9)+"=="); err != nil {
		t.Errorf("padding should be tolerated: %v", err)
	}
}

func TestSkipTokenRejected(t *testing.T) {
	q := parseQ(t, "$filter=size gt 1&$orderby=size desc")
	tok := EncodeSkipToken(q, 10)
	for _, other := range []string{
		"$filter=size gt 2&$orderby=size desc",
		"$filter=size gt 1",
		"$filter=size gt 1&$orderby=size asc",
		"$filter=size gt 1&$orderby=size desc&$search=%22displayName:a%22",
	} {
		_, err := ParseQuery(mustValues(t, other+"&$skiptoken="+tok), testOpts)
		var perr *Error
		if !errors.As(err, &perr) || perr.Option != "$skiptoken" || !strings.Contains(perr.Msg, "different $filter") {
			t.Errorf("token replayed against %q: %v", other, err)
		}
	}
	raw, _ := base64.RawURLEncoding.DecodeString(tok)
	wrongVersion := append([]byte{9}, raw[1:]...)
	overflow := append([]byte{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, raw[len(raw)-8:]...)
	for _, bad := range []string{
		"abc", "!!!!", "", tok[:len(tok)-1], tok + "AA",
		base64.RawURLEncoding.EncodeToString(wrongVersion),
		base64.RawURLEncoding.EncodeToString(overflow),
		strings.Repeat("A", 100),
	} {
		if _, err := DecodeSkipToken(q, bad); err == nil || !strings.Contains(err.Error(), "invalid token") {
			t.Errorf("DecodeSkipToken(%q) = %v, want invalid", bad, err)
		}
	}
}
