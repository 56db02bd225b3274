package keyrepo

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestOpenCreatesStagedAndPrimary(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	nums, _ := r.numbers()
	if !slices.Equal(nums, []int{0, 1}) {
		t.Fatalf("keys = %v, want [0 1]", nums)
	}
	if len(r.Keys()) != 2 {
		t.Fatalf("loaded %d keys", len(r.Keys()))
	}
}

func TestRotateKeepsOldTokensReadableUntilPruned(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	staged, _ := os.ReadFile(filepath.Join(dir, "0"))
	tok, err := r.Encrypt([]byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := r.Rotate(); err != nil || n != 2 {
		t.Fatalf("rotate = %d, %v", n, err)
	}
	promoted, _ := os.ReadFile(filepath.Join(dir, "2"))
	if string(promoted) != string(staged) {
		t.Fatal("the staged key did not become the primary")
	}
	if got := r.Decrypt(tok); string(got) != "hello" {
		t.Fatal("token from the previous primary no longer decrypts")
	}
	if _, err := r.Rotate(); err != nil {
		t.Fatal(err)
	}
	nums, _ := r.numbers()
	if !slices.Equal(nums, []int{0, 2, 3}) {
		t.Fatalf("after two rotations keys = %v, want [0 2 3]", nums)
	}
	if r.Decrypt(tok) != nil {
		t.Fatal("token from a pruned key still decrypts")
	}
}

func TestAnotherProcessRotationIsPickedUp(t *testing.T) {
	dir := t.TempDir()
	server, err := Open(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := Open(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Rotate(); err != nil {
		t.Fatal(err)
	}
	tok, _ := admin.Encrypt([]byte("x"))
	server.mu.Lock()
	server.checkAt = server.checkAt.AddDate(-1, 0, 0)
	server.dirMod = server.dirMod.AddDate(-1, 0, 0)
	server.mu.Unlock()
	if string(server.Decrypt(tok)) != "x" {
		t.Fatal("server did not reload the rotated repository")
	}
}
