package suggest

import "unicode/utf8"

// Closest returns the candidate nearest to s, if it is within edit
// distance 2 and nearer than the length of s, so a short word is not
// "corrected" into an unrelated one (the first one on a tie).
func Closest(s string, candidates []string) (string, bool) {
	best, bestD := "", min(3, utf8.RuneCountInString(s))
	for _, c := range candidates {
		if d := Distance(s, c, bestD); d < bestD {
			best, bestD = c, d
		}
	}
	return best, best != ""
}

// Distance is the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and swaps of adjacent runes each
// cost 1). It returns limit early when the distance is at least limit.
func Distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if abs(len(ra)-len(rb)) >= limit {
		return limit
	}
	// rows[i%3] holds row i of the edit-distance matrix.
	var rows [3][]int
	for i := range rows {
		rows[i] = make([]int, len(rb)+1)
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur, prev, prev2 := rows[i%3], rows[(i-1)%3], rows[(i+1)%3]
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
	}
	return min(rows[len(ra)%3][len(rb)], limit)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
