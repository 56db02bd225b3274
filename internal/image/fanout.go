package image

import (
	"io"
	"sync"
)

// fanoutChunk is how much data a fanout hands its writers at a time.
const fanoutChunk = 1 << 20

// fanout writes the same data to several writers (the store and the
// checksums) in parallel, one chunk at a time, so an upload runs at the
// speed of the slowest writer rather than their sum. It holds two chunks:
// one being filled while the writers work on the other. Close flushes.
type fanout struct {
	dsts []io.Writer
	bufs [2][]byte
	cur  int
	fill int
	wg   sync.WaitGroup
	mu   sync.Mutex
	err  error
}

func newFanout(dsts ...io.Writer) *fanout {
	return &fanout{dsts: dsts, bufs: [2][]byte{make([]byte, fanoutChunk), make([]byte, fanoutChunk)}}
}

func (f *fanout) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		c := copy(f.bufs[f.cur][f.fill:], p)
		f.fill, p, n = f.fill+c, p[c:], n+c
		if f.fill == fanoutChunk {
			if err := f.dispatch(); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// dispatch waits for the writers to finish the previous chunk and hands
// them the current one.
func (f *fanout) dispatch() error {
	f.wg.Wait()
	if err := f.firstErr(); err != nil {
		return err
	}
	chunk := f.bufs[f.cur][:f.fill]
	for _, d := range f.dsts {
		f.wg.Go(func() {
			if _, err := d.Write(chunk); err != nil {
				f.mu.Lock()
				f.err = err
				f.mu.Unlock()
			}
		})
	}
	f.cur, f.fill = 1-f.cur, 0
	return nil
}

// Close hands over what is left and waits for every writer.
func (f *fanout) Close() error {
	if f.fill > 0 {
		if err := f.dispatch(); err != nil {
			f.wg.Wait()
			return err
		}
	}
	f.wg.Wait()
	return f.firstErr()
}

func (f *fanout) firstErr() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}
