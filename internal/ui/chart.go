package ui

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/cachegen/cachegen/runtime/catalog"
)

// Chart geometry, in SVG user units.
const (
	chartW, chartH = 720, 200
	chartPad       = 32
)

// chartSVG draws hits and misses per interval as two polylines with a
// point (a circle with a title) per interval. Points are spaced evenly;
// the y axis runs from 0 to the largest count.
func chartSVG(points []catalog.ActivityPoint) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" class="chart" role="img" aria-label="hits and misses per interval">`, chartW, chartH)
	if len(points) == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="empty">no recorded activity yet</text></svg>`, chartPad, chartH/2)
		return template.HTML(b.String())
	}
	top := int64(1)
	for _, p := range points {
		top = max(top, p.Hits, p.Misses)
	}
	x := func(i int) float64 {
		if len(points) == 1 {
			return chartW / 2
		}
		return chartPad + float64(i)*float64(chartW-2*chartPad)/float64(len(points)-1)
	}
	y := func(v int64) float64 { return chartH - chartPad - float64(v)*float64(chartH-2*chartPad)/float64(top) }
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="axis"/>`, chartPad, chartH-chartPad, chartW-chartPad, chartH-chartPad)
	fmt.Fprintf(&b, `<text x="4" y="%d" class="label">%d</text><text x="4" y="%d" class="label">0</text>`, chartPad, top, chartH-chartPad)
	for _, series := range []struct {
		name  string
		value func(catalog.ActivityPoint) int64
	}{{"hits", func(p catalog.ActivityPoint) int64 { return p.Hits }}, {"misses", func(p catalog.ActivityPoint) int64 { return p.Misses }}} {
		var pts []string
		for i, p := range points {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(series.value(p))))
		}
		fmt.Fprintf(&b, `<polyline class="%s" points="%s"/>`, series.name, strings.Join(pts, " "))
		for i, p := range points {
			fmt.Fprintf(&b, `<circle class="point %s" cx="%.1f" cy="%.1f" r="3"><title>%s: %d %s</title></circle>`,
				series.name, x(i), y(series.value(p)), template.HTMLEscapeString(p.Start.UTC().Format("2006-01-02 15:04")), series.value(p), series.name)
		}
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" class="label">%s</text>`, chartPad, chartH-8, points[0].Start.UTC().Format("Jan 2 15:04"))
	fmt.Fprintf(&b, `<text x="%d" y="%d" class="label" text-anchor="end">%s</text>`, chartW-chartPad, chartH-8, points[len(points)-1].Start.UTC().Format("Jan 2 15:04"))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
