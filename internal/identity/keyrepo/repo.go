package keyrepo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/fernet/fernet-go"
)

// Repo is a key repository directory.
type Repo struct {
	dir       string
	maxActive int

	mu      sync.Mutex
	keys    []*fernet.Key // primary first
	dirMod  time.Time
	checkAt time.Time
}

// Open returns the repository in dir, creating the directory and its first
// keys (staged 0 and primary 1) if it holds none.
func Open(dir string, maxActive int) (*Repo, error) {
	if maxActive < 2 {
		maxActive = 2
	}
	r := &Repo{dir: dir, maxActive: maxActive}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	nums, err := r.numbers()
	if err != nil {
		return nil, err
	}
	if len(nums) == 0 {
		if err := r.writeKey(0); err != nil {
			return nil, err
		}
		if _, err := r.Rotate(); err != nil {
			return nil, err
		}
	}
	if err := r.reload(); err != nil {
		return nil, err
	}
	return r, nil
}

// numbers lists the key file numbers, ascending.
func (r *Repo) numbers() ([]int, error) {
	entries, err := os.ReadDir(r.dir)
	if err != nil {
		return nil, err
	}
	var nums []int
	for _, e := range entries {
		if n, err := strconv.Atoi(e.Name()); err == nil && n >= 0 && e.Type().IsRegular() {
			nums = append(nums, n)
		}
	}
	slices.Sort(nums)
	return nums, nil
}

// writeKey writes a fresh key as file n, atomically.
func (r *Repo) writeKey(n int) error {
	var k fernet.Key
	if err := k.Generate(); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(r.dir, ".key-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(k.Encode()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(r.dir, strconv.Itoa(n)))
}

// Rotate promotes the staged key to primary, stages a new key and removes
// the oldest secondaries beyond the active-key limit. It returns the new
// primary's number.
func (r *Repo) Rotate() (int, error) {
	nums, err := r.numbers()
	if err != nil {
		return 0, err
	}
	if !slices.Contains(nums, 0) {
		if err := r.writeKey(0); err != nil {
			return 0, err
		}
		nums = append([]int{0}, nums...)
	}
	next := nums[len(nums)-1] + 1
	if err := os.Rename(filepath.Join(r.dir, "0"), filepath.Join(r.dir, strconv.Itoa(next))); err != nil {
		return 0, err
	}
	if err := r.writeKey(0); err != nil {
		return 0, err
	}
	nums, err = r.numbers()
	if err != nil {
		return 0, err
	}
	for len(nums) > r.maxActive {
		if err := os.Remove(filepath.Join(r.dir, strconv.Itoa(nums[1]))); err != nil {
			return 0, err
		}
		nums = slices.Delete(nums, 1, 2)
	}
	syncDir(r.dir)
	return next, r.reload()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

func (r *Repo) reload() error {
	nums, err := r.numbers()
	if err != nil {
		return err
	}
	if len(nums) == 0 {
		return errors.New("key repository " + r.dir + " is empty")
	}
	keys := make([]*fernet.Key, 0, len(nums))
	for i := len(nums) - 1; i >= 0; i-- {
		b, err := os.ReadFile(filepath.Join(r.dir, strconv.Itoa(nums[i])))
		if err != nil {
			return err
		}
		k, err := fernet.DecodeKey(string(b))
		if err != nil {
			return fmt.Errorf("key %s/%d: %w", r.dir, nums[i], err)
		}
		keys = append(keys, k)
	}
	fi, err := os.Stat(r.dir)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.keys, r.dirMod = keys, fi.ModTime()
	r.mu.Unlock()
	return nil
}

// Keys returns the keys, primary first, re-reading the directory at most
// once a second when it has changed.
func (r *Repo) Keys() []*fernet.Key {
	r.mu.Lock()
	now := time.Now()
	stale := now.After(r.checkAt)
	if stale {
		r.checkAt = now.Add(time.Second)
	}
	keys, mod := r.keys, r.dirMod
	r.mu.Unlock()
	if stale {
		if fi, err := os.Stat(r.dir); err == nil && !fi.ModTime().Equal(mod) {
			if err := r.reload(); err == nil {
				r.mu.Lock()
				keys = r.keys
				r.mu.Unlock()
			}
		}
	}
	return keys
}

// Encrypt seals msg with the primary key.
func (r *Repo) Encrypt(msg []byte) ([]byte, error) {
	return fernet.EncryptAndSign(msg, r.Keys()[0])
}

// Decrypt opens tok with any active key; it returns nil when none fits.
func (r *Repo) Decrypt(tok []byte) []byte {
	return fernet.VerifyAndDecrypt(tok, 0, r.Keys())
}

// Primary returns the primary key in its encoded form.
func (r *Repo) Primary() string { return r.Keys()[0].Encode() }
