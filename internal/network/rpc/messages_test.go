package rpc

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/monostack/monostack/internal/bus"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGoldenRoundTrip checks every message against its golden JSON and that
// decoding the golden file gives the message back.
func TestGoldenRoundTrip(t *testing.T) {
	for name, msg := range samples {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(msg, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", name+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s differs from golden:\n%s", path, got)
			}
			back := reflect.New(reflect.TypeOf(msg))
			if err := json.Unmarshal(want, back.Interface()); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back.Elem().Interface(), msg) {
				t.Fatalf("round trip changed the message:\n got %#v\nwant %#v", back.Elem().Interface(), msg)
			}
		})
	}
}

// TestGoldenFilesHaveSamples keeps testdata free of files no sample writes.
func TestGoldenFilesHaveSamples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, f := range files {
		if _, ok := samples[strings.TrimSuffix(filepath.Base(f), ".json")]; !ok {
			t.Errorf("%s has no sample", f)
		}
	}
}

// TestMessageTypes checks every type is named network.*, unique, and 1.0.
func TestMessageTypes(t *testing.T) {
	seen := map[string]reflect.Type{}
	for name, msg := range samples {
		typ := msg.MessageType()
		if !strings.HasPrefix(typ, "network.") {
			t.Errorf("%s: type %q outside network.*", name, typ)
		}
		if prev, ok := seen[typ]; ok && prev != reflect.TypeOf(msg) {
			t.Errorf("type %q used by %s and %s", typ, prev, reflect.TypeOf(msg))
		}
		seen[typ] = reflect.TypeOf(msg)
		if msg.MessageVersion() != (bus.Version{Major: 1}) {
			t.Errorf("%s: version %s, want 1.0", name, msg.MessageVersion())
		}
	}
}
