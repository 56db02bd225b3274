package ipam

import (
	"net/netip"
	"slices"
)

// span is an inclusive range of addresses as numbers.
type span struct{ lo, hi u128 }

// rangeSet is netaddr's IPSet for one family: sorted, disjoint, merged
// spans of width-bit addresses.
type rangeSet struct {
	width int
	spans []span
}

func newRangeSet(width int, in []span) rangeSet {
	s := slices.Clone(in)
	slices.SortFunc(s, func(a, b span) int { return a.lo.cmp(b.lo) })
	var out []span
	for _, x := range s {
		n := len(out)
		if n > 0 && (x.lo.cmp(out[n-1].hi) <= 0 || x.lo == out[n-1].hi.plus(1)) {
			if x.hi.cmp(out[n-1].hi) > 0 {
				out[n-1].hi = x.hi
			}
			continue
		}
		out = append(out, x)
	}
	return rangeSet{width: width, spans: out}
}

func prefixSpan(p netip.Prefix) span {
	return span{toU128(p.Masked().Addr()), toU128(lastOf(p))}
}

// setOfPrefixes is the set covered by the prefixes of family width.
func setOfPrefixes(width int, ps []netip.Prefix) rangeSet {
	var in []span
	for _, p := range ps {
		if widthOf(p.Addr()) == width {
			in = append(in, prefixSpan(p))
		}
	}
	return newRangeSet(width, in)
}

// minus is s without t.
func (s rangeSet) minus(t rangeSet) rangeSet {
	out := []span{}
	for _, x := range s.spans {
		cur := []span{x}
		for _, y := range t.spans {
			cur = cutSpans(cur, y)
		}
		out = append(out, cur...)
	}
	return rangeSet{width: s.width, spans: out}
}

// cutSpans removes y from each of xs.
func cutSpans(xs []span, y span) []span {
	var out []span
	for _, x := range xs {
		if y.hi.cmp(x.lo) < 0 || y.lo.cmp(x.hi) > 0 {
			out = append(out, x)
			continue
		}
		if y.lo.cmp(x.lo) > 0 {
			out = append(out, span{x.lo, y.lo.minus(1)})
		}
		if y.hi.cmp(x.hi) < 0 {
			out = append(out, span{y.hi.plus(1), x.hi})
		}
	}
	return out
}

// intersects says whether s and t share an address.
func (s rangeSet) intersects(t rangeSet) bool {
	for _, x := range s.spans {
		for _, y := range t.spans {
			if x.lo.cmp(y.hi) <= 0 && y.lo.cmp(x.hi) <= 0 {
				return true
			}
		}
	}
	return false
}

// covers says whether every address of t is in s.
func (s rangeSet) covers(t rangeSet) bool { return len(t.minus(s).spans) == 0 }

// cidrs is the minimal list of prefixes covering s, in address order.
func (s rangeSet) cidrs() []netip.Prefix {
	var out []netip.Prefix
	for _, x := range s.spans {
		out = append(out, spanCIDRs(x, s.width)...)
	}
	return out
}

// spanCIDRs splits one span into the largest aligned blocks.
func spanCIDRs(x span, width int) []netip.Prefix {
	var out []netip.Prefix
	lo := x.lo
	for {
		size := x.hi.sub(lo).plus(1) // zero means the whole space
		k := min(lo.trailingZeros(), width)
		if !size.isZero() {
			k = min(k, size.bitLen()-1)
		}
		out = append(out, netip.PrefixFrom(lo.addr(width), width-k))
		if k == width {
			return out
		}
		next := lo.add(pow2(k))
		if next.cmp(x.hi) > 0 || next.isZero() || (width == 32 && next.lo > 0xffffffff) {
			return out
		}
		lo = next
	}
}
