package db

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// maxBatch bounds how many waiting write transactions share one commit.
const maxBatch = 64

// errClosed is returned to writers once the database is closed.
var errClosed = errors.New("database is closed")

// writeReq is one caller's write transaction waiting for the batcher.
type writeReq struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan error
}

// panicked carries a transaction function's panic back to its caller.
type panicked struct{ value any }

func (p panicked) Error() string { return fmt.Sprint("panic in transaction: ", p.value) }

// batcher is SQLite's single writer. Write transactions that are waiting
// when the writer comes free run one after another, each in a savepoint of
// one shared SQLite transaction, and commit together: the begin, the
// commit's WAL writes and the pages they share are paid once per batch
// instead of once per caller. Callers wait in arrival order (database/sql
// would hand its one connection to a random waiter) and hear back only
// after the commit. A function's error rolls back its savepoint alone.
type batcher struct {
	db        *DB
	queue     chan *writeReq
	quit      chan struct{}
	done      chan struct{}
	commits   atomic.Int64 // batches committed, for tests
	closeOnce sync.Once
}

func newBatcher(d *DB) *batcher {
	b := &batcher{db: d, queue: make(chan *writeReq, maxBatch), quit: make(chan struct{}), done: make(chan struct{})}
	go b.loop()
	return b
}

// write queues fn and waits for its outcome. A caller whose context ends
// before fn starts gets the context's error and fn never runs; once fn has
// started the caller waits for the commit, so an answer always matches
// what was stored.
func (b *batcher) write(ctx context.Context, fn func(*Tx) error) error {
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case b.queue <- req:
	case <-ctx.Done():
		return fmt.Errorf("begin: %w", ctx.Err())
	case <-b.quit:
		return errClosed
	}
	var err error
	select {
	case err = <-req.done:
	case <-b.done:
		select {
		case err = <-req.done:
		default:
			err = errClosed
		}
	}
	if p, ok := err.(panicked); ok {
		panic(p.value)
	}
	return err
}

// close stops the writer after the batch in hand; callers still queued
// get errClosed.
func (b *batcher) close() {
	b.closeOnce.Do(func() { close(b.quit) })
	<-b.done
}

func (b *batcher) loop() {
	defer close(b.done)
	for {
		select {
		case req := <-b.queue:
			b.runBatch(req)
		case <-b.quit:
			return
		}
	}
}

// runBatch runs first and whatever else is queued by the time each
// function finishes, then commits them together.
func (b *batcher) runBatch(first *writeReq) {
	stx, err := b.db.write.BeginTx(context.Background(), nil)
	if err != nil {
		first.done <- fmt.Errorf("begin: %w", err)
		return
	}
	var ran []*Tx
	var waiting []*writeReq
	for req := first; req != nil; req = b.next(len(waiting)) {
		if err := req.ctx.Err(); err != nil {
			req.done <- fmt.Errorf("begin: %w", err)
			continue
		}
		tx := &Tx{ctx: context.WithoutCancel(req.ctx), tx: stx, db: b.db, pool: b.db.write}
		if len(waiting) == 0 {
			// The first function needs no savepoint: its error ends the batch.
			if err := callFn(tx, req.fn); err != nil {
				_ = stx.Rollback()
				req.done <- err
				return
			}
			ran, waiting = append(ran, tx), append(waiting, req)
			continue
		}
		err := b.runInSavepoint(tx, req.fn)
		if errors.Is(err, errBatchLost) {
			// The engine rolled the whole transaction back: everyone so far
			// runs again alone, and this caller with them.
			_ = stx.Rollback()
			b.runAlone(append(waiting, req))
			return
		}
		if err != nil {
			req.done <- err
			continue
		}
		ran, waiting = append(ran, tx), append(waiting, req)
	}
	if len(waiting) == 0 {
		_ = stx.Rollback()
		return
	}
	if err := stx.Commit(); err != nil {
		b.runAlone(waiting)
		return
	}
	b.commits.Add(1)
	for i, req := range waiting {
		ran[i].prepareMissed()
		req.done <- nil
	}
}

// next is the next queued request for a batch holding n, or nil.
func (b *batcher) next(n int) *writeReq {
	if n >= maxBatch-1 {
		return nil
	}
	select {
	case req := <-b.queue:
		return req
	default:
		return nil
	}
}

// errBatchLost says the shared transaction is gone (SQLite rolls a whole
// transaction back on some errors, such as a full disk).
var errBatchLost = errors.New("batch transaction rolled back")

// runInSavepoint runs fn so that its error or panic undoes only its own
// statements.
func (b *batcher) runInSavepoint(tx *Tx, fn func(*Tx) error) (err error) {
	if tx.control("SAVEPOINT write_fn") != nil {
		return errBatchLost
	}
	err = callFn(tx, fn)
	if err != nil && tx.control("ROLLBACK TO write_fn") != nil {
		return errBatchLost
	}
	if tx.control("RELEASE write_fn") != nil {
		return errBatchLost
	}
	return err
}

// control runs a transaction-control statement through the statement
// cache, without counting it as a change.
func (t *Tx) control(q string) error {
	var err error
	if st := t.stmt(q); st != nil {
		_, err = st.ExecContext(t.ctx)
	} else {
		_, err = t.tx.ExecContext(t.ctx, q)
	}
	return err
}

// callFn runs fn, turning a panic into an error the caller re-raises.
func callFn(tx *Tx, fn func(*Tx) error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = panicked{v}
		}
	}()
	return fn(tx)
}

// runAlone runs each request in a transaction of its own, after a batch
// could not commit. Transaction functions may run more than once (the
// PostgreSQL retry relies on it too).
func (b *batcher) runAlone(reqs []*writeReq) {
	for _, req := range reqs {
		req.done <- b.db.run(context.WithoutCancel(req.ctx), b.db.write, false, func(tx *Tx) error {
			return callFn(tx, req.fn)
		})
	}
}
