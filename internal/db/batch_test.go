package db_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/db/dbtest"
)

// openSQLite is a migrated SQLite database (the batching writer is
// SQLite's alone).
func openSQLite(t *testing.T) *db.DB {
	t.Helper()
	d := dbtest.Open(t)
	if d.Dialect != db.SQLite {
		t.Skip("the batching writer is SQLite's")
	}
	return d
}

func insertRegion(id string) func(*db.Tx) error {
	return func(tx *db.Tx) error {
		_, err := tx.Exec("INSERT INTO identity_regions (id, description, extra) VALUES (?, '', '{}')", id)
		return err
	}
}

func regions(t *testing.T, d *db.DB) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := d.Read(context.Background(), func(tx *db.Tx) error {
		ids, err := tx.Strings("SELECT id FROM identity_regions")
		for _, id := range ids {
			out[id] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// holdWriter starts a write that blocks the writer until release is
// called, then queues writes behind it one by one, each queued before the
// next starts, and returns their outcomes once all finished.
func holdWriter(t *testing.T, d *db.DB, writes ...func(*db.Tx) error) (release func() []error) {
	t.Helper()
	ctx := context.Background()
	entered, gate := make(chan struct{}), make(chan struct{})
	go func() {
		_ = d.Write(ctx, func(*db.Tx) error { close(entered); <-gate; return nil })
	}()
	<-entered
	errs := make([]error, len(writes))
	var wg sync.WaitGroup
	for i, fn := range writes {
		wg.Go(func() { errs[i] = d.Write(ctx, fn) })
		waitFor(t, func() bool { return d.QueuedWrites() == i+1 })
	}
	return func() []error {
		close(gate)
		wg.Wait()
		return errs
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}

func TestWaitingWritesCommitTogetherInArrivalOrder(t *testing.T) {
	d := openSQLite(t)
	var mu sync.Mutex
	var order []string
	record := func(id string) func(*db.Tx) error {
		return func(tx *db.Tx) error {
			mu.Lock()
			order = append(order, id)
			mu.Unlock()
			return insertRegion(id)(tx)
		}
	}
	before := d.Commits()
	release := holdWriter(t, d, record("a"), record("b"), record("c"), record("d"))
	for _, err := range release() {
		if err != nil {
			t.Fatal(err)
		}
	}
	if fmt.Sprint(order) != "[a b c d]" {
		t.Fatalf("ran in order %v, want arrival order", order)
	}
	// The four queued while the first ran join its transaction: one commit.
	if n := d.Commits() - before; n != 1 {
		t.Fatalf("%d commits, want 1", n)
	}
	if got := regions(t, d); !got["a"] || !got["b"] || !got["c"] || !got["d"] {
		t.Fatalf("stored %v", got)
	}
}

func TestFailedWriteInBatchUndoesOnlyItself(t *testing.T) {
	d := openSQLite(t)
	refused := errors.New("refused")
	failing := func(tx *db.Tx) error {
		if err := insertRegion("half-done")(tx); err != nil {
			return err
		}
		return refused
	}
	duplicate := insertRegion("a") // conflicts with the first write of the batch
	release := holdWriter(t, d, insertRegion("a"), failing, duplicate, insertRegion("b"))
	errs := release()
	if errs[0] != nil || !errors.Is(errs[1], refused) || !errors.Is(errs[2], db.ErrConflict) || errs[3] != nil {
		t.Fatalf("outcomes %v", errs)
	}
	got := regions(t, d)
	if !got["a"] || !got["b"] || got["half-done"] || len(got) != 2 {
		t.Fatalf("stored %v, want a and b only", got)
	}
}

func TestPanicInBatchReachesItsCallerOnly(t *testing.T) {
	d := openSQLite(t)
	ctx := context.Background()
	entered, gate := make(chan struct{}), make(chan struct{})
	go func() {
		_ = d.Write(ctx, func(*db.Tx) error { close(entered); <-gate; return nil })
	}()
	<-entered
	panicked := make(chan any, 1)
	go func() {
		defer func() { panicked <- recover() }()
		_ = d.Write(ctx, func(tx *db.Tx) error {
			_ = insertRegion("from-panic")(tx)
			panic("boom")
		})
	}()
	waitFor(t, func() bool { return d.QueuedWrites() == 1 })
	after := make(chan error, 1)
	go func() { after <- d.Write(ctx, insertRegion("after")) }()
	waitFor(t, func() bool { return d.QueuedWrites() == 2 })
	close(gate)
	if v := <-panicked; v != "boom" {
		t.Fatalf("caller recovered %v, want the panic", v)
	}
	if err := <-after; err != nil {
		t.Fatal(err)
	}
	if got := regions(t, d); got["from-panic"] || !got["after"] {
		t.Fatalf("stored %v", got)
	}
}

func TestWriteCancelledWhileQueuedNeverRuns(t *testing.T) {
	d := openSQLite(t)
	entered, gate := make(chan struct{}), make(chan struct{})
	go func() {
		_ = d.Write(context.Background(), func(*db.Tx) error { close(entered); <-gate; return nil })
	}()
	<-entered
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	go func() { result <- d.Write(ctx, insertRegion("late")) }()
	waitFor(t, func() bool { return d.QueuedWrites() == 1 })
	cancel()
	close(gate)
	if err := <-result; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want the cancellation", err)
	}
	if got := regions(t, d); got["late"] {
		t.Fatal("a write its caller gave up on was stored")
	}
}

func TestWritesAfterCloseFail(t *testing.T) {
	d := openSQLite(t)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Write(context.Background(), insertRegion("x")); err == nil {
		t.Fatal("write after close succeeded")
	}
}
