package codec

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"
)

// benchReport is the shape: a small struct with a slice and a map.
type benchReport struct {
	Name   string
	Score  float64
	Tags   []string
	Counts map[string]int
	At     time.Time
}

func newBenchReport() *benchReport {
	return &benchReport{
		Name:   "quarterly-report",
		Score:  0.8125,
		Tags:   []string{"alpha", "beta", "gamma", "delta", "epsilon"},
		Counts: map[string]int{"apples": 3, "pears": 14, "plums": 159, "figs": 2653, "kiwis": 58979},
		At:     time.Date(2024, 3, 9, 14, 30, 0, 123456789, time.UTC),
	}
}

func BenchmarkEncode(b *testing.B) {
	r := newBenchReport()
	b.Run("gob", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			if err := gob.NewEncoder(&buf).Encode(r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("codec", func(b *testing.B) {
		c := mustFor[benchReport](b)
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			var err error
			if buf, err = c.Append(buf[:0], r); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	r := newBenchReport()
	b.Run("gob", func(b *testing.B) {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(r); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		b.ReportAllocs()
		for b.Loop() {
			var out benchReport
			if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		data, err := json.Marshal(r)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			var out benchReport
			if err := json.Unmarshal(data, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	c := mustFor[benchReport](b)
	data, err := c.Append(nil, r)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("codec", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out benchReport
			if err := c.Decode(data, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out benchReport
			if err := decodeReportByHand(data, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestFloorDecoderAgrees keeps the hand-written floor decoder honest: it must
// read the codec's bytes into the same value.
func TestFloorDecoderAgrees(t *testing.T) {
	r := newBenchReport()
	c := mustFor[benchReport](t)
	data, err := c.Append(nil, r)
	if err != nil {
		t.Fatal(err)
	}
	var got benchReport
	if err := decodeReportByHand(data, &got); err != nil {
		t.Fatal(err)
	}
	if !reportsEqual(&got, r) {
		t.Fatalf("floor decoder: got %+v, want %+v", got, *r)
	}
}

func reportsEqual(a, b *benchReport) bool {
	if a.Name != b.Name || math.Float64bits(a.Score) != math.Float64bits(b.Score) || !a.At.Equal(b.At) ||
		len(a.Tags) != len(b.Tags) || len(a.Counts) != len(b.Counts) {
		return false
	}
	for i := range a.Tags {
		if a.Tags[i] != b.Tags[i] {
			return false
		}
	}
	for k, v := range a.Counts {
		if w, ok := b.Counts[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// decodeReportByHand is what a generated, reflection-free decoder for
// benchReport would do with the codec's format: the floor for our decoder.
func decodeReportByHand(data []byte, r *benchReport) error {
	d := handDecoder{data: data}
	r.Name = d.str()
	r.Score = math.Float64frombits(d.u64())
	if n := d.uvarint(); n == 0 {
		r.Tags = nil
	} else {
		r.Tags = make([]string, n-1)
		for i := range r.Tags {
			r.Tags[i] = d.str()
		}
	}
	if n := d.uvarint(); n == 0 {
		r.Counts = nil
	} else {
		r.Counts = make(map[string]int, n-1)
		for range n - 1 {
			k := d.str()
			r.Counts[k] = int(d.u64())
		}
	}
	n := int(d.uvarint())
	if d.err == nil && n <= len(d.data) {
		d.err = r.At.UnmarshalBinary(d.data[:n])
		d.data = d.data[n:]
	}
	if d.err == nil && len(d.data) != 0 {
		d.err = fmt.Errorf("%d trailing bytes", len(d.data))
	}
	return d.err
}

type handDecoder struct {
	data []byte
	err  error
}

func (d *handDecoder) uvarint() uint64 {
	x, n := binary.Uvarint(d.data)
	if n <= 0 {
		d.err = errTruncated
		return 0
	}
	d.data = d.data[n:]
	return x
}

func (d *handDecoder) u64() uint64 {
	if len(d.data) < 8 {
		d.err = errTruncated
		return 0
	}
	x := binary.LittleEndian.Uint64(d.data)
	d.data = d.data[8:]
	return x
}

func (d *handDecoder) str() string {
	n := d.uvarint()
	if n > uint64(len(d.data)) {
		d.err = errTruncated
		return ""
	}
	s := string(d.data[:n])
	d.data = d.data[n:]
	return s
}

// BenchmarkIntFormat decides how integers are stored: fixed-width
// little-endian against zigzag varints, decoding 1000 integers of mixed
// magnitudes.
func BenchmarkIntFormat(b *testing.B) {
	vals := make([]int64, 1000)
	for i := range vals {
		vals[i] = int64(i*i*i) - 1<<20
	}
	var fixed, varint []byte
	for _, v := range vals {
		fixed = binary.LittleEndian.AppendUint64(fixed, uint64(v))
		varint = binary.AppendVarint(varint, v)
	}
	b.Run("fixed", func(b *testing.B) {
		var sum int64
		for b.Loop() {
			d := decoder{data: fixed}
			for range vals {
				x, _ := d.fixed(8)
				sum += int64(x)
			}
		}
		_ = sum
	})
	b.Run("varint", func(b *testing.B) {
		var sum int64
		for b.Loop() {
			d := decoder{data: varint}
			for range vals {
				x, _ := d.uvarint()
				sum += int64(x>>1) ^ -int64(x&1)
			}
		}
		_ = sum
	})
	b.Logf("bytes for 1000 ints: fixed %d, varint %d", len(fixed), len(varint))
}

func mustFor[T any](tb testing.TB) *Codec[T] {
	tb.Helper()
	c, err := For[T]()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
