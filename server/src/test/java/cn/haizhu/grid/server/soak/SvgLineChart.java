package cn.haizhu.grid.server.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart as SVG text, for the soak's plots in docs/bench (no charting library: a few
 * lines, axes with round ticks, a legend, and the compared thirds shaded so the eye sees what the
 * verdict compared). Minutes on x, one unit on y from zero up.
 */
final class SvgLineChart {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final int W = 820;
    private static final int H = 320;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 40;
    private static final int BOTTOM = 48;

    private record Series(String name, double[] x, double[] y) {
    }

    private final String title;
    private final String unit;
    private final List<Series> series = new ArrayList<>();
    private double[] firstThird;
    private double[] lastThird;

    SvgLineChart(String title, String unit) {
        this.title = title;
        this.unit = unit;
    }

    /** A line; points with a negative or NaN y (nothing measured) are left out. */
    SvgLineChart line(String name, double[] x, double[] y) {
        series.add(new Series(name, x, y));
        return this;
    }

    /** The spans (minutes) the verdict compared, shaded. */
    SvgLineChart thirds(double[] first, double[] last) {
        this.firstThird = first;
        this.lastThird = last;
        return this;
    }

    String svg() {
        double xMax = 0;
        double yMax = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (ok(s.y[i])) {
                    xMax = Math.max(xMax, s.x[i]);
                    yMax = Math.max(yMax, s.y[i]);
                }
            }
        }
        double xStep = niceStep(xMax);
        double yStep = niceStep(yMax * 1.1);
        // a run of 30 minutes ends a few seconds past 30: its axis still ends at 30, not 40
        xMax = Math.max(xStep, Math.ceil(xMax / xStep - 0.02) * xStep);
        yMax = Math.max(yStep, Math.ceil(yMax * 1.1 / yStep) * yStep);
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", W, H, W, H));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>%n", W, H));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", LEFT, esc(title)));
        for (double[] span : new double[][] {firstThird, lastThird}) {
            if (span != null) {
                double x0 = LEFT + span[0] / xMax * pw;
                double x1 = LEFT + Math.min(span[1], xMax) / xMax * pw;
                sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#f0f0f0\"/>%n",
                        x0, TOP, Math.max(0, x1 - x0), ph));
            }
        }
        for (double v = 0; v <= yMax + 1e-9; v += yStep) {
            double y = TOP + ph - v / yMax * ph;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, y, W - RIGHT, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4, label(v)));
        }
        for (double v = 0; v <= xMax + 1e-9; v += xStep) {
            double x = LEFT + v / xMax * pw;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>%n", x, TOP + ph, x, TOP + ph + 4));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP + ph + 18, label(v)));
        }
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n", LEFT, TOP + ph, W - RIGHT, TOP + ph));
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n", LEFT, TOP, LEFT, TOP + ph));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">minutes since the start</text>%n",
                LEFT + pw / 2, H - 8));
        sb.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>%n",
                TOP + ph / 2, TOP + ph / 2, esc(unit)));
        int legendX = LEFT + 8;
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String colour = COLOURS[k % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < s.x.length; i++) {
                if (ok(s.y[i])) {
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + s.x[i] / xMax * pw, TOP + ph - s.y[i] / yMax * ph));
                }
            }
            sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" points=\"%s\"/>%n",
                    colour, points.toString().trim()));
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"3\" fill=\"%s\"/>%n", legendX, TOP - 12, colour));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", legendX + 18, TOP - 7, esc(s.name)));
            legendX += 26 + 7 * s.name.length();
        }
        if (firstThird != null) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#777\">shaded: the first and last thirds compared</text>%n",
                    W - RIGHT, H - 8));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static boolean ok(double v) {
        return !Double.isNaN(v) && v >= 0;
    }

    /** 1, 2 or 5 times a power of ten, giving about five ticks up to max. */
    static double niceStep(double max) {
        if (max <= 0) {
            return 1;
        }
        double raw = max / 5;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
    }

    private static String label(double v) {
        return Math.abs(v - Math.rint(v)) < 1e-9 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
