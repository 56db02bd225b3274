package ipam

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
)

// u128 is an address as an unsigned 128-bit number (IPv4 in the low 32).
type u128 struct{ hi, lo uint64 }

func toU128(a netip.Addr) u128 {
	b := a.As16()
	if a.Is4() {
		return u128{0, uint64(binary.BigEndian.Uint32(b[12:]))}
	}
	return u128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

// addr turns v back into an address of the given bit width (32 or 128).
func (v u128) addr(width int) netip.Addr {
	if width == 32 {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(v.lo))
		return netip.AddrFrom4(b)
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], v.hi)
	binary.BigEndian.PutUint64(b[8:], v.lo)
	return netip.AddrFrom16(b)
}

func (v u128) cmp(w u128) int {
	switch {
	case v.hi < w.hi:
		return -1
	case v.hi > w.hi:
		return 1
	case v.lo < w.lo:
		return -1
	case v.lo > w.lo:
		return 1
	}
	return 0
}

func (v u128) add(w u128) u128 {
	lo, c := bits.Add64(v.lo, w.lo, 0)
	hi, _ := bits.Add64(v.hi, w.hi, c)
	return u128{hi, lo}
}

func (v u128) sub(w u128) u128 {
	lo, b := bits.Sub64(v.lo, w.lo, 0)
	hi, _ := bits.Sub64(v.hi, w.hi, b)
	return u128{hi, lo}
}

func (v u128) plus(n uint64) u128  { return v.add(u128{0, n}) }
func (v u128) minus(n uint64) u128 { return v.sub(u128{0, n}) }
func (v u128) xor(w u128) u128     { return u128{v.hi ^ w.hi, v.lo ^ w.lo} }
func (v u128) isZero() bool        { return v.hi == 0 && v.lo == 0 }

// pow2 is 2**n for n < 128.
func pow2(n int) u128 {
	if n >= 64 {
		return u128{1 << (n - 64), 0}
	}
	return u128{0, 1 << n}
}

// trailingZeros counts the low zero bits, 128 for zero.
func (v u128) trailingZeros() int {
	if v.lo != 0 {
		return bits.TrailingZeros64(v.lo)
	}
	if v.hi != 0 {
		return 64 + bits.TrailingZeros64(v.hi)
	}
	return 128
}

// bitLen is the number of bits needed to write v.
func (v u128) bitLen() int {
	if v.hi != 0 {
		return 64 + bits.Len64(v.hi)
	}
	return bits.Len64(v.lo)
}

// widthOf is the bit width of a's family.
func widthOf(a netip.Addr) int {
	if a.Is4() {
		return 32
	}
	return 128
}

// lastOf is the last address of p (the broadcast address in IPv4).
func lastOf(p netip.Prefix) netip.Addr {
	w := widthOf(p.Addr())
	host := w - p.Bits()
	if host == 0 {
		return p.Masked().Addr()
	}
	return toU128(p.Masked().Addr()).add(pow2(host).minus(1)).addr(w)
}
