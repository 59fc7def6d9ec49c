package content

import (
	"hash"
	"io"
)

// copyBuffers is how many buffers circulate between the copying goroutine
// and the hashing one.
const copyBuffers = 3

// copyHashed copies src to dst until EOF and feeds the same bytes to h in a
// second goroutine, so hashing overlaps reading and writing (SHA-256 and a
// disk write run at similar speeds: serially they halve the throughput).
// limit >= 0 bounds the bytes: a source with more fails with rerr =
// ErrTooLarge and the excess is not written; it also sizes the buffers, so
// copying a small file allocates little. rerr is a failure to read src,
// werr a failure to write dst. When it returns, h has hashed exactly the n
// bytes written to dst.
func copyHashed(dst io.Writer, h hash.Hash, src io.Reader, limit int64) (n int64, rerr, werr error) {
	size := int64(copyBufSize)
	if limit >= 0 && limit < size {
		size = limit + 1
	}
	free := make(chan []byte, copyBuffers)
	for range copyBuffers {
		free <- make([]byte, size)
	}
	work := make(chan []byte, copyBuffers)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for b := range work {
			h.Write(b)
			free <- b[:cap(b)]
		}
	}()
	defer func() {
		close(work)
		<-done
	}()
	for {
		buf := <-free
		nr, err := fill(src, buf)
		if limit >= 0 && int64(nr) > limit-n {
			return n, ErrTooLarge, nil
		}
		if nr > 0 {
			nw, werr := dst.Write(buf[:nr])
			work <- buf[:nw]
			n += int64(nw)
			if werr != nil {
				return n, nil, werr
			}
		} else {
			free <- buf
		}
		switch err {
		case nil:
		case io.EOF:
			return n, nil, nil
		default:
			return n, err, nil
		}
	}
}

// fill reads into buf until it is full or src fails; unlike io.ReadFull it
// passes io.ErrUnexpectedEOF from src through, so a truncated request body
// is not taken for the end of the content.
func fill(src io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := src.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
