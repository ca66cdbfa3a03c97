package dev.cachet.demo.internal;

import java.util.List;
import java.util.Locale;

/**
 * Charts drawn by the server as SVG (nothing loaded from the internet): a donut, grouped bars on
 * a log scale, a scatter over time and plain bars. Every chart is one {@code <svg>} element
 * with an id, a title and a data attribute counting the marks it drew.
 */
final class Svg {
    static final String RED = "#dc2626";
    static final String GREEN = "#16a34a";
    static final String AMBER = "#d97706";
    static final String BLUE = "#4f46e5";
    static final String GREY = "#9ca3af";

    private Svg() {
    }

    /** One slice or bar: a label, a value, a colour. */
    record Part(String label, double value, String color) {
    }

    /** A group of bars (one per series) under one label. */
    record Group(String label, double[] values) {
    }

    private static String open(String id, String title, int w, int h, int marks) {
        return "<svg id='" + id + "' data-marks='" + marks + "' viewBox='0 0 " + w + " " + h + "' width='100%' role='img'"
                + " xmlns='http://www.w3.org/2000/svg'><title>" + Html.esc(title) + "</title>";
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A donut of {@code parts}, with the first part's share written in the middle. */
    static String donut(String id, String title, List<Part> parts, String centre) {
        double total = parts.stream().mapToDouble(Part::value).sum();
        StringBuilder b = new StringBuilder();
        int marks = 0;
        double cx = 110, cy = 110, r = 80, angle = -Math.PI / 2;
        if (total <= 0) {
            b.append("<circle cx='110' cy='110' r='80' fill='none' stroke='#e5e7eb' stroke-width='34'/>");
        } else {
            for (Part p : parts) {
                if (p.value() <= 0) {
                    continue;
                }
                double sweep = 2 * Math.PI * p.value() / total;
                if (sweep >= 2 * Math.PI - 1e-9) {
                    b.append("<circle class='mark' cx='110' cy='110' r='80' fill='none' stroke='").append(p.color())
                            .append("' stroke-width='34'/>");
                } else {
                    double x0 = cx + r * Math.cos(angle), y0 = cy + r * Math.sin(angle);
                    double x1 = cx + r * Math.cos(angle + sweep), y1 = cy + r * Math.sin(angle + sweep);
                    b.append("<path class='mark' d='M").append(f(x0)).append(' ').append(f(y0)).append(" A80 80 0 ")
                            .append(sweep > Math.PI ? 1 : 0).append(" 1 ").append(f(x1)).append(' ').append(f(y1))
                            .append("' fill='none' stroke='").append(p.color()).append("' stroke-width='34'/>");
                }
                angle += sweep;
                marks++;
            }
        }
        b.append("<text x='110' y='116' text-anchor='middle' style='font-size:22px;font-weight:700'>")
                .append(Html.esc(centre)).append("</text>");
        int y = 40;
        for (Part p : parts) {
            b.append("<rect x='240' y='").append(y - 11).append("' width='14' height='14' fill='").append(p.color()).append("'/>")
                    .append("<text x='262' y='").append(y).append("'>").append(Html.esc(p.label())).append(": ")
                    .append(String.format("%,d", (long) p.value())).append("</text>");
            y += 26;
        }
        return open(id, title, 460, 220, marks) + b + "</svg>";
    }

    /** Grouped bars of values in milliseconds on a log scale from 0.01 ms to 10 s. */
    static String logBars(String id, String title, List<Group> groups, String[] series, String[] colors) {
        int w = 520, h = 260, left = 56, bottom = 200, top = 16;
        double lo = Math.log10(0.01), hi = Math.log10(10_000);
        StringBuilder b = new StringBuilder();
        for (double t = 0.01; t <= 10_000; t *= 10) {
            double y = bottom - (Math.log10(t) - lo) / (hi - lo) * (bottom - top);
            b.append("<line x1='").append(left).append("' x2='").append(w - 8).append("' y1='").append(f(y)).append("' y2='")
                    .append(f(y)).append("' stroke='#e5e7eb'/><text x='").append(left - 6).append("' y='").append(f(y + 4))
                    .append("' text-anchor='end'>").append(t >= 1000 ? (int) (t / 1000) + " s" : t >= 1 ? (int) t + " ms"
                            : String.format(Locale.ROOT, "%s ms", t >= 0.1 ? "0.1" : "0.01")).append("</text>");
        }
        int marks = 0;
        double groupW = (w - left - 16) / (double) Math.max(1, groups.size());
        double barW = Math.min(28, (groupW - 16) / series.length);
        for (int g = 0; g < groups.size(); g++) {
            double x = left + 8 + g * groupW;
            for (int s = 0; s < series.length; s++) {
                double v = groups.get(g).values()[s];
                if (v > 0) {
                    double y = bottom - (Math.log10(Math.max(v, 0.01)) - lo) / (hi - lo) * (bottom - top);
                    b.append("<rect class='mark' x='").append(f(x + s * barW)).append("' y='").append(f(y)).append("' width='")
                            .append(f(barW - 2)).append("' height='").append(f(bottom - y)).append("' fill='").append(colors[s])
                            .append("'><title>").append(Html.esc(groups.get(g).label() + " " + series[s] + ": " + Html.ms(v)))
                            .append("</title></rect>");
                    marks++;
                }
            }
            b.append("<text x='").append(f(x + series.length * barW / 2)).append("' y='").append(bottom + 16)
                    .append("' text-anchor='middle'>").append(Html.esc(groups.get(g).label())).append("</text>");
        }
        legend(b, series, colors, left, h - 18);
        return open(id, title, w, h, marks) + b + "</svg>";
    }

    /** A scatter of (seconds since start, milliseconds) points on a log scale, one colour per point. */
    static String timeline(String id, String title, List<double[]> points, List<String> colors, String[] series,
            String[] seriesColors) {
        int w = 1040, h = 250, left = 56, bottom = 200, top = 12;
        double lo = Math.log10(0.05), hi = Math.log10(10_000);
        double t0 = points.isEmpty() ? 0 : points.get(0)[0];
        double t1 = points.isEmpty() ? 1 : Math.max(t0 + 1, points.get(points.size() - 1)[0]);
        StringBuilder b = new StringBuilder();
        for (double t = 0.1; t <= 10_000; t *= 10) {
            double y = bottom - (Math.log10(t) - lo) / (hi - lo) * (bottom - top);
            b.append("<line x1='").append(left).append("' x2='").append(w - 8).append("' y1='").append(f(y)).append("' y2='")
                    .append(f(y)).append("' stroke='#e5e7eb'/><text x='").append(left - 6).append("' y='").append(f(y + 4))
                    .append("' text-anchor='end'>").append(t >= 1000 ? (int) (t / 1000) + " s" : t >= 1 ? (int) t + " ms" : "0.1 ms")
                    .append("</text>");
        }
        for (int i = 0; i < points.size(); i++) {
            double[] p = points.get(i);
            double x = left + 4 + (p[0] - t0) / (t1 - t0) * (w - left - 16);
            double y = bottom - (Math.log10(Math.max(p[1], 0.05)) - lo) / (hi - lo) * (bottom - top);
            b.append("<circle class='mark' cx='").append(f(x)).append("' cy='").append(f(y)).append("' r='3' fill='")
                    .append(colors.get(i)).append("' fill-opacity='0.75'/>");
        }
        b.append("<text x='").append(w - 8).append("' y='").append(bottom + 16).append("' text-anchor='end'>")
                .append(String.format(Locale.ROOT, "%.0f s since start", t1)).append("</text>");
        legend(b, series, seriesColors, left, h - 18);
        return open(id, title, w, h, points.size()) + b + "</svg>";
    }

    /** Horizontal bars of counts. */
    static String countBars(String id, String title, List<Part> parts) {
        int w = 520, rowH = 30, left = 190;
        double max = Math.max(1, parts.stream().mapToDouble(Part::value).max().orElse(1));
        StringBuilder b = new StringBuilder();
        int marks = 0;
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            int y = 10 + i * rowH;
            double len = p.value() / max * (w - left - 70);
            b.append("<text x='").append(left - 8).append("' y='").append(y + 15).append("' text-anchor='end'>")
                    .append(Html.esc(p.label())).append("</text>");
            if (p.value() > 0) {
                b.append("<rect class='mark' x='").append(left).append("' y='").append(y).append("' width='")
                        .append(f(Math.max(2, len))).append("' height='20' fill='").append(p.color()).append("'/>");
                marks++;
            }
            b.append("<text x='").append(f(left + Math.max(2, len) + 6)).append("' y='").append(y + 15).append("'>")
                    .append(String.format("%,d", (long) p.value())).append("</text>");
        }
        return open(id, title, w, 20 + parts.size() * rowH, marks) + b + "</svg>";
    }

    private static void legend(StringBuilder b, String[] series, String[] colors, int x, int y) {
        for (int s = 0; s < series.length; s++) {
            b.append("<rect x='").append(x).append("' y='").append(y - 10).append("' width='12' height='12' fill='")
                    .append(colors[s]).append("'/><text x='").append(x + 16).append("' y='").append(y).append("'>")
                    .append(Html.esc(series[s])).append("</text>");
            x += 30 + series[s].length() * 7;
        }
    }
}
