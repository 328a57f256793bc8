package lease

import (
	"errors"
	"testing"
	"time"
)

func TestRecordRoundTrip(t *testing.T) {
	exp := time.Date(2026, 1, 2, 15, 4, 5, 123456789, time.FixedZone("X", 3600))
	in := record{Owner: "host/42/00ff", Expires: exp}
	data := in.marshal()
	want := `{"owner":"host/42/00ff","expires":"2026-01-02T14:04:05.123456789Z"}`
	if string(data) != want {
		t.Fatalf("marshal = %s, want %s", data, want)
	}
	out, err := parseRecord(data)
	if err != nil {
		t.Fatal(err)
	}
	if out.Owner != in.Owner || !out.Expires.Equal(exp) {
		t.Fatalf("round trip = %+v, want %+v", out, in)
	}
	if out.expired(exp.Add(-time.Nanosecond)) || !out.expired(exp) {
		t.Fatalf("expired is wrong around %v", exp)
	}
}

func TestParseRecordRejects(t *testing.T) {
	for _, data := range []string{
		``,
		`null`,
		`{}`,
		`{"expires":"2026-01-02T14:04:05Z"}`,
		`{"owner":"a","expires":"yesterday"}`,
		`{"owner":"a","expires":"2026-01-02T14:04:05Z","extra":1}`,
		`{"owner":"a"}}`,
		`{"owner":"a"} {"owner":"b"}`,
		`[1,2]`,
		"\x00\x01binary",
	} {
		if r, err := parseRecord([]byte(data)); !errors.Is(err, errBadRecord) {
			t.Errorf("parseRecord(%q) = %+v, %v; want errBadRecord", data, r, err)
		}
	}
	big := make([]byte, maxRecord+1)
	if _, err := parseRecord(big); !errors.Is(err, errBadRecord) {
		t.Errorf("parseRecord of %d bytes: %v; want errBadRecord", len(big), err)
	}
}

func FuzzParseRecord(f *testing.F) {
	f.Add([]byte(`{"owner":"host/42/00ff","expires":"2026-01-02T14:04:05.123456789Z"}`))
	f.Add([]byte(`{"owner":"x","expires":"0001-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"owner":"a"} `))
	f.Add([]byte(`{"owner":"a","extra":true}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := parseRecord(data)
		if err != nil {
			if !errors.Is(err, errBadRecord) {
				t.Fatalf("error %v does not wrap errBadRecord", err)
			}
			return
		}
		if r.Owner == "" {
			t.Fatalf("accepted a record without owner: %q", data)
		}
		if y := r.Expires.UTC().Year(); y < 0 || y > 9999 {
			return // an offset moved it out of JSON's range; we never write such times
		}
		again, err := parseRecord(r.marshal())
		if err != nil {
			t.Fatalf("re-parse of %q: %v", r.marshal(), err)
		}
		if again.Owner != r.Owner || !again.Expires.Equal(r.Expires) {
			t.Fatalf("re-parse = %+v, want %+v", again, r)
		}
	})
}
