package httpx

import "sync"

// PooledJSON is a response body from bodyPool; it goes back to the pool once written.
type PooledJSON []byte

// bodyPool recycles the buffers of list responses (a page of 100 threads is ~250 KB), which
// would otherwise dominate the garbage the simulator makes.
var bodyPool = sync.Pool{New: func() any { return new([]byte) }}

// PooledBuffer returns an empty buffer from the pool with room for size bytes.
func PooledBuffer(size int) []byte {
	b := *bodyPool.Get().(*[]byte)
	if cap(b) < size {
		return make([]byte, 0, size)
	}
	return b[:0]
}

// ReleaseBuffer gives a written body's buffer back to the pool (large ones are dropped).
func ReleaseBuffer(b []byte) {
	if cap(b) <= 4<<20 {
		bodyPool.Put(&b)
	}
}
