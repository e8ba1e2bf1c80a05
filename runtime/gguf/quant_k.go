package gguf

// K-quant quantizers: quantize_row_q4_K_ref, q5_K_ref and q6_K_ref with
// their helpers nearest_int, make_qkx2_quants and make_qx_quants
// (rmse_type 1, no importance weights), each float operation rounded on
// its own in the C order. Sums run left to right over the elements.

import (
	"encoding/binary"
	"math"
)

// groupMaxEps is GROUP_MAX_EPS: a group whose largest magnitude is below
// it is all zero.
const groupMaxEps = float32(1e-15)

// nearestInt is nearest_int: round to nearest, ties to even, by adding
// 1.5*2^23 and reading the mantissa (exact for |f| <= 4194303; beyond
// that it returns the same bits C does).
func nearestInt(f float32) int32 {
	v := f + 12582912
	return int32(math.Float32bits(v)&0x007fffff) - 0x00400000
}

func sqrt32(f float32) float32 { return float32(math.Sqrt(float64(f))) } // correctly rounded, as sqrtf

func clampInt(l, lo, hi int32) int32 { return max(lo, min(hi, l)) }

// makeQKX2 is make_qkx2_quants(n, nmax, x, weights, L, &the_min, Laux,
// rmin, rdelta, nstep, use_mad=false): a scale and a min (returned
// negated, as the_min) for x ≈ scale*L - theMin with L in [0, nmax],
// chosen among nstep+1 trial scales by weighted squared error.
func makeQKX2(nmax int32, x, weights []float32, L, Laux []uint8, rmin, rdelta float32, nstep int) (scale, theMin float32) {
	n := len(x)
	mn, mx := x[0], x[0]
	sumW := weights[0]
	sumX := float32(sumW * x[0])
	for i := 1; i < n; i++ {
		if x[i] < mn {
			mn = x[i]
		}
		if x[i] > mx {
			mx = x[i]
		}
		w := weights[i]
		sumW += w
		sumX += float32(w * x[i])
	}
	if mn > 0 {
		mn = 0
	}
	if mx == mn {
		clear(L[:n])
		return 0, -mn
	}
	iscale := float32(nmax) / (mx - mn)
	scale = 1 / iscale
	var bestError float32
	for i := 0; i < n; i++ {
		l := nearestInt(float32(iscale * (x[i] - mn)))
		L[i] = uint8(clampInt(l, 0, nmax))
		diff := float32(float32(scale*float32(L[i]))+mn) - x[i]
		diff = float32(diff * diff)
		bestError += float32(weights[i] * diff)
	}
	if nstep < 1 {
		return scale, -mn
	}
	for is := 0; is <= nstep; is++ {
		iscale = (float32(rmin+float32(rdelta*float32(is))) + float32(nmax)) / (mx - mn)
		var sumL, sumL2, sumXL float32
		for i := 0; i < n; i++ {
			l := clampInt(nearestInt(float32(iscale*(x[i]-mn))), 0, nmax)
			Laux[i] = uint8(l)
			w := weights[i]
			wl := float32(w * float32(l))
			sumL += wl
			sumL2 += float32(wl * float32(l))
			sumXL += float32(wl * x[i])
		}
		D := float32(sumW*sumL2) - float32(sumL*sumL)
		if D > 0 {
			thisScale := (float32(sumW*sumXL) - float32(sumX*sumL)) / D
			thisMin := (float32(sumL2*sumX) - float32(sumL*sumXL)) / D
			if thisMin > 0 {
				thisMin = 0
				thisScale = sumXL / sumL2
			}
			var curError float32
			for i := 0; i < n; i++ {
				diff := float32(float32(thisScale*float32(Laux[i]))+thisMin) - x[i]
				diff = float32(diff * diff)
				curError += float32(weights[i] * diff)
			}
			if curError < bestError {
				copy(L[:n], Laux[:n])
				bestError = curError
				scale = thisScale
				mn = thisMin
			}
		}
	}
	return scale, -mn
}

// makeQX is make_qx_quants(n, nmax, x, L, rmse_type=1, qw=NULL): a scale
// for x ≈ scale*(L - nmax), L in [0, 2*nmax-1], weights x*x, among 19
// trial scales.
func makeQX(nmax int32, x []float32, L []int8) float32 {
	n := len(x)
	var mx, amax float32
	for i := 0; i < n; i++ {
		if ax := abs32(x[i]); ax > amax {
			amax = ax
			mx = x[i]
		}
	}
	if amax < groupMaxEps {
		clear(L[:n])
		return 0
	}
	iscale := float32(-nmax) / mx
	var sumlx, suml2 float32
	for i := 0; i < n; i++ {
		l := clampInt(nearestInt(float32(iscale*x[i])), -nmax, nmax-1)
		L[i] = int8(l + nmax)
		w := float32(x[i] * x[i])
		sumlx += float32(float32(w*x[i]) * float32(l))
		suml2 += float32(float32(w*float32(l)) * float32(l))
	}
	var scale float32
	if suml2 != 0 {
		scale = sumlx / suml2
	}
	best := float32(scale * sumlx)
	for is := int32(-9); is <= 9; is++ {
		if is == 0 {
			continue
		}
		iscale = -(float32(nmax) + float32(0.1*float32(is))) / mx
		sumlx, suml2 = 0, 0
		for i := 0; i < n; i++ {
			l := clampInt(nearestInt(float32(iscale*x[i])), -nmax, nmax-1)
			w := float32(x[i] * x[i])
			sumlx += float32(float32(w*x[i]) * float32(l))
			suml2 += float32(float32(w*float32(l)) * float32(l))
		}
		if suml2 > 0 && float32(sumlx*sumlx) > float32(best*suml2) {
			for i := 0; i < n; i++ {
				l := nearestInt(float32(iscale * x[i]))
				L[i] = int8(nmax + clampInt(l, -nmax, nmax-1))
			}
			scale = sumlx / suml2
			best = float32(scale * sumlx)
		}
	}
	return scale
}

// quantKScales is the part quantize_row_q4_K_ref and q5_K_ref share:
// per 32-element sub-block a scale and min by makeQKX2 (weights
// av_x + |x|, av_x = sqrtf(sum(x*x)/32)), both quantised to 6 bits
// against their maxima, packed into y[4:16] with d, dmin in y[0:4]; then
// the quants recomputed against the packed scales into L.
func quantKScales(x []float32, y []byte, L []uint8, nmax int32, rmin float32, nstep int) {
	var Laux [32]uint8
	var weights [32]float32
	var mins, scales [qkK / 32]float32
	var maxScale, maxMin float32
	for j := 0; j < qkK/32; j++ {
		xs := x[32*j : 32*j+32]
		var sumX2 float32
		for l := 0; l < 32; l++ {
			sumX2 += float32(xs[l] * xs[l])
		}
		avX := sqrt32(sumX2 / 32)
		for l := 0; l < 32; l++ {
			weights[l] = avX + abs32(xs[l])
		}
		scales[j], mins[j] = makeQKX2(nmax, xs, weights[:], L[32*j:32*j+32], Laux[:], rmin, 0.1, nstep)
		if scales[j] > maxScale {
			maxScale = scales[j]
		}
		if mins[j] > maxMin {
			maxMin = mins[j]
		}
	}
	var invScale, invMin float32
	if maxScale > 0 {
		invScale = 63 / maxScale
	}
	if maxMin > 0 {
		invMin = 63 / maxMin
	}
	sc := y[4:16]
	for j := 0; j < qkK/32; j++ {
		ls := min(63, uint8(nearestInt(float32(invScale*scales[j]))))
		lm := min(63, uint8(nearestInt(float32(invMin*mins[j]))))
		if j < 4 {
			sc[j] = ls
			sc[j+4] = lm
		} else {
			sc[j+4] = ls&0xf | (lm&0xf)<<4
			sc[j-4] |= (ls >> 4) << 6
			sc[j] |= (lm >> 4) << 6
		}
	}
	dh, dminh := FloatToHalf(maxScale/63), FloatToHalf(maxMin/63)
	binary.LittleEndian.PutUint16(y, dh)
	binary.LittleEndian.PutUint16(y[2:], dminh)
	for j := 0; j < qkK/32; j++ {
		s, m := scaleMinK4(j, sc)
		d := float32(HalfToFloat(dh) * float32(s))
		if d == 0 {
			continue // C's `if (!d) continue;`: L keeps makeQKX2's quants
		}
		dm := float32(HalfToFloat(dminh) * float32(m))
		for ii := 0; ii < 32; ii++ {
			l := nearestInt((x[32*j+ii] + dm) / d)
			L[32*j+ii] = uint8(clampInt(l, 0, nmax))
		}
	}
}

// quantQ4_K is quantize_row_q4_K_ref for one super-block (nmax 15,
// rmin -1, rdelta 0.1, nstep 20); quants packed as dequantQ4_K reads them.
func quantQ4_K(x []float32, y []byte) {
	var L [qkK]uint8
	quantKScales(x, y, L[:], 15, -1, 20)
	q := y[16:144]
	for j := 0; j < qkK; j += 64 {
		for l := 0; l < 32; l++ {
			q[l] = L[j+l] | L[j+l+32]<<4
		}
		q = q[32:]
	}
}

// quantQ5_K is quantize_row_q5_K_ref (nmax 31, rmin -0.5, rdelta 0.1,
// nstep 15); quants packed as dequantQ5_K reads them.
func quantQ5_K(x []float32, y []byte) {
	var L [qkK]uint8
	quantKScales(x, y, L[:], 31, -0.5, 15)
	qh := y[16:48]
	ql := y[48:176]
	clear(qh)
	m1, m2 := uint8(1), uint8(2)
	for n := 0; n < qkK; n += 64 {
		for j := 0; j < 32; j++ {
			l1 := L[n+j]
			if l1 > 15 {
				l1 -= 16
				qh[j] |= m1
			}
			l2 := L[n+j+32]
			if l2 > 15 {
				l2 -= 16
				qh[j] |= m2
			}
			ql[j] = l1 | l2<<4
		}
		m1 <<= 2
		m2 <<= 2
		ql = ql[32:]
	}
}

// quantQ6_K is quantize_row_q6_K_ref for one super-block: per 16
// elements a scale by makeQX (nmax 32); iscale = -128/(the scale of
// largest magnitude), d = 1/iscale, int8 scales MIN(127,
// nearest_int(iscale*scale)); quants nearest_int(x/(d*scale)) in
// [-32, 31], stored +32.
func quantQ6_K(x []float32, y []byte) {
	var L [qkK]int8
	var scales [qkK / 16]float32
	var maxScale, maxAbsScale float32
	for ib := 0; ib < qkK/16; ib++ {
		scale := makeQX(32, x[16*ib:16*ib+16], L[16*ib:16*ib+16])
		scales[ib] = scale
		if a := abs32(scale); a > maxAbsScale {
			maxAbsScale = a
			maxScale = scale
		}
	}
	if maxAbsScale < groupMaxEps {
		clear(y[:210]) // the memset, and d = fp16(0)
		return
	}
	ql := y[0:128]
	qh := y[128:192]
	sc := y[192:208]
	iscale := -128 / maxScale
	dh := FloatToHalf(1 / iscale)
	binary.LittleEndian.PutUint16(y[208:], dh)
	for ib := 0; ib < qkK/16; ib++ {
		sc[ib] = uint8(int8(min(127, nearestInt(float32(iscale*scales[ib])))))
	}
	for j := 0; j < qkK/16; j++ {
		d := float32(HalfToFloat(dh) * float32(int8(sc[j])))
		if d == 0 {
			continue
		}
		for ii := 0; ii < 16; ii++ {
			l := clampInt(nearestInt(x[16*j+ii]/d), -32, 31)
			L[16*j+ii] = int8(l + 32)
		}
	}
	for j := 0; j < qkK; j += 128 {
		for l := 0; l < 32; l++ {
			q1 := uint8(L[j+l]) & 0xf
			q2 := uint8(L[j+l+32]) & 0xf
			q3 := uint8(L[j+l+64]) & 0xf
			q4 := uint8(L[j+l+96]) & 0xf
			ql[l] = q1 | q3<<4
			ql[l+32] = q2 | q4<<4
			qh[l] = uint8(L[j+l]>>4) | uint8(L[j+l+32]>>4)<<2 | uint8(L[j+l+64]>>4)<<4 | uint8(L[j+l+96]>>4)<<6
		}
		ql = ql[64:]
		qh = qh[32:]
	}
}
