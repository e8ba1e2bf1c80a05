package bench

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
)

// csvLoader reads a scikit-learn dataset CSV: every row is the features then
// an integer class label. The bundled CSVs (iris, wine, breast_cancer) start
// with a header "n_samples,n_features,class names..."; digits.csv.gz has none.
// Features are parsed with strconv.ParseFloat(s, 32), which rounds correctly
// and so identically everywhere, and fed raw as float32 [1, F].
func csvLoader(name string, src file, gz bool) func() (*Benchmark, error) {
	return func() (*Benchmark, error) {
		b, err := src.load(name)
		if err != nil {
			return nil, err
		}
		if gz {
			if b, err = gunzip(b, 1<<26); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		wantRows, classes := -1, 0
		if !gz && len(rows) > 0 {
			hdr := rows[0]
			if len(hdr) < 3 {
				return nil, fmt.Errorf("%s: bad header %v", name, hdr)
			}
			if wantRows, err = strconv.Atoi(hdr[0]); err != nil {
				return nil, fmt.Errorf("%s: header %v: %w", name, hdr, err)
			}
			classes = len(hdr) - 2
			rows = rows[1:]
		}
		if len(rows) == 0 || (wantRows >= 0 && len(rows) != wantRows) {
			return nil, fmt.Errorf("%s: %d rows, header says %d", name, len(rows), wantRows)
		}
		F := len(rows[0]) - 1
		var feats []float32
		labels := make([]int, len(rows))
		maxLabel := 0
		for i, row := range rows {
			if len(row) != F+1 {
				return nil, fmt.Errorf("%s: row %d has %d fields, want %d", name, i, len(row), F+1)
			}
			for _, s := range row[:F] {
				v, err := strconv.ParseFloat(s, 32)
				if err != nil {
					return nil, fmt.Errorf("%s: row %d: %w", name, i, err)
				}
				feats = append(feats, float32(v))
			}
			l, err := strconv.ParseFloat(row[F], 64)
			if err != nil || l != float64(int(l)) || l < 0 {
				return nil, fmt.Errorf("%s: row %d: bad label %q", name, i, row[F])
			}
			labels[i] = int(l)
			maxLabel = max(maxLabel, labels[i])
		}
		if classes == 0 {
			classes = maxLabel + 1
		}
		return New(name, []int{1, F}, feats, labels, classes)
	}
}
