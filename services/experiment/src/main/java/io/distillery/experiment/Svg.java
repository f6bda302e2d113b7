package io.distillery.experiment;

import java.util.List;
import java.util.Locale;

/**
 * Two kinds of plot, written as plain SVG (no plotting library, no fonts to embed; any browser or
 * Markdown viewer shows them): horizontal bars with interval whiskers, and lines over x with
 * interval whiskers. Both keep the y (or value) axis at 0 … 1, the range of every score here, so
 * plots of different runs compare at a glance and no gap is blown up by a cut axis.
 */
final class Svg {

  /** Colours that stay apart for common colour blindness (Okabe-Ito). */
  static final List<String> PALETTE =
      List.of("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442");

  static final String GREY = "#777777";

  /**
   * One bar.
   *
   * @param label its name, left of it
   * @param value its length, 0 … 1
   * @param lower lower end of its whisker, or null for none
   * @param upper upper end of its whisker, or null for none
   * @param colour fill colour
   */
  record Bar(String label, double value, Double lower, Double upper, String colour) {}

  /**
   * A reference line across the plot.
   *
   * @param label its name
   * @param value where, 0 … 1
   * @param colour its colour
   */
  record Reference(String label, double value, String colour) {}

  /**
   * One point of a line.
   *
   * @param x where on the x axis
   * @param y the value, 0 … 1
   * @param lower lower end of its whisker
   * @param upper upper end of its whisker
   */
  record Point(double x, double y, double lower, double upper) {}

  /**
   * A line.
   *
   * @param name its legend
   * @param colour its colour
   * @param points in increasing x
   */
  record Series(String name, String colour, List<Point> points) {}

  private Svg() {}

  /** Horizontal bars on a 0 … 1 axis, with whiskers and vertical reference lines. */
  static String bars(String title, String axis, List<Bar> bars, List<Reference> references) {
    int left = 260;
    int width = 560;
    int top = 50;
    int row = 30;
    int height = top + bars.size() * row + 60;
    var svg = new StringBuilder();
    open(svg, left + width + 40, height, title);
    for (int tick = 0; tick <= 10; tick += 2) {
      double x = left + width * tick / 10.0;
      svg.append(
          fmt(
              "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#dddddd'/>\n",
              x, top - 5, x, top + bars.size() * row));
      svg.append(
          fmt(
              "<text x='%.1f' y='%d' text-anchor='middle'>%.1f</text>\n",
              x, top + bars.size() * row + 18, tick / 10.0));
    }
    svg.append(
        fmt(
            "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>\n",
            left + width / 2.0, top + bars.size() * row + 40, escape(axis)));
    for (int i = 0; i < bars.size(); i++) {
      var bar = bars.get(i);
      double y = top + i * row;
      svg.append(
          fmt(
              "<text x='%d' y='%.1f' text-anchor='end'>%s</text>\n",
              left - 8, y + row / 2.0 + 4, escape(bar.label())));
      svg.append(
          fmt(
              "<rect x='%d' y='%.1f' width='%.1f' height='%d' fill='%s'/>\n",
              left, y + 5, width * clamp(bar.value()), row - 10, bar.colour()));
      // The value right of the bar and of its whisker, so neither hides it.
      double end = Math.max(bar.value(), bar.upper() == null ? bar.value() : bar.upper());
      svg.append(
          fmt(
              "<text x='%.1f' y='%.1f' font-size='11'>%.3f</text>\n",
              left + width * clamp(end) + 6, y + row / 2.0 + 4, bar.value()));
      if (bar.lower() != null && bar.upper() != null) {
        double x1 = left + width * clamp(bar.lower());
        double x2 = left + width * clamp(bar.upper());
        double mid = y + row / 2.0;
        svg.append(
            fmt(
                "<path d='M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fV%.1f' stroke='#222222'"
                    + " fill='none'/>\n",
                x1, mid - 6, mid + 6, x1, mid, x2, x2, mid - 6, mid + 6));
      }
    }
    for (var ref : references) {
      double x = left + width * clamp(ref.value());
      svg.append(
          fmt(
              "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='%s' stroke-dasharray='5 4'/>\n",
              x, top - 10, x, top + bars.size() * row, ref.colour()));
      svg.append(
          fmt(
              "<text x='%.1f' y='%d' text-anchor='middle' font-size='11' fill='%s'>%s</text>\n",
              x, top - 14, ref.colour(), escape(ref.label())));
    }
    return close(svg);
  }

  /**
   * Lines over x with whiskers, on a 0 … 1 y axis; x linear or logarithmic, ticked at the points' x
   * values.
   */
  static String lines(
      String title,
      String xAxis,
      String yAxis,
      boolean logX,
      List<Series> series,
      List<Reference> references) {
    int left = 70;
    int top = 50;
    int width = 560;
    int height = 320;
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    var ticks = new java.util.TreeSet<Double>();
    for (var s : series) {
      for (var p : s.points()) {
        min = Math.min(min, scale(p.x(), logX));
        max = Math.max(max, scale(p.x(), logX));
        ticks.add(p.x());
      }
    }
    if (ticks.isEmpty()) {
      min = 0;
      max = 1;
    }
    double span = max > min ? max - min : 1;
    double lo = min - span * 0.05;
    double hi = max + span * 0.05;
    var svg = new StringBuilder();
    open(svg, left + width + 220, top + height + 60, title);
    for (int tick = 0; tick <= 10; tick += 2) {
      double y = top + height * (1 - tick / 10.0);
      svg.append(
          fmt(
              "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#dddddd'/>\n",
              left, y, left + width, y));
      svg.append(
          fmt(
              "<text x='%d' y='%.1f' text-anchor='end'>%.1f</text>\n",
              left - 6, y + 4, tick / 10.0));
    }
    for (double x : ticks) {
      double px = left + width * (scale(x, logX) - lo) / (hi - lo);
      svg.append(
          fmt(
              "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>\n",
              px, top + height + 18, number(x)));
    }
    svg.append(
        fmt(
            "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>\n",
            left + width / 2.0, top + height + 42, escape(xAxis)));
    svg.append(
        fmt(
            "<text transform='translate(18 %.1f) rotate(-90)' text-anchor='middle'>%s</text>\n",
            top + height / 2.0, escape(yAxis)));
    int legend = top;
    for (var ref : references) {
      double y = top + height * (1 - clamp(ref.value()));
      svg.append(
          fmt(
              "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='%s' stroke-dasharray='5 4'/>\n",
              left, y, left + width, y, ref.colour()));
      legend = legendEntry(svg, left + width + 16, legend, ref.label(), ref.colour(), true);
    }
    for (var s : series) {
      var path = new StringBuilder();
      for (var p : s.points()) {
        double px = left + width * (scale(p.x(), logX) - lo) / (hi - lo);
        double py = top + height * (1 - clamp(p.y()));
        path.append(path.isEmpty() ? "M" : "L").append(fmt("%.1f %.1f", px, py));
        double y1 = top + height * (1 - clamp(p.lower()));
        double y2 = top + height * (1 - clamp(p.upper()));
        svg.append(
            fmt(
                "<path d='M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fH%.1f' stroke='%s'"
                    + " fill='none'/>\n",
                px, y1, y2, px - 4, y1, px + 4, px - 4, y2, px + 4, s.colour()));
        svg.append(fmt("<circle cx='%.1f' cy='%.1f' r='3.5' fill='%s'/>\n", px, py, s.colour()));
      }
      svg.append(
          fmt("<path d='%s' stroke='%s' stroke-width='2' fill='none'/>\n", path, s.colour()));
      legend = legendEntry(svg, left + width + 16, legend, s.name(), s.colour(), false);
    }
    return close(svg);
  }

  private static int legendEntry(
      StringBuilder svg, int x, int y, String label, String colour, boolean dashed) {
    svg.append(
        fmt(
            "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='%s' stroke-width='2'%s/>\n",
            x, y, x + 22, y, colour, dashed ? " stroke-dasharray='5 4'" : ""));
    svg.append(fmt("<text x='%d' y='%d' font-size='12'>%s</text>\n", x + 28, y + 4, escape(label)));
    return y + 20;
  }

  private static void open(StringBuilder svg, int width, int height, String title) {
    svg.append(
        fmt(
            "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d'"
                + " font-family='sans-serif' font-size='13'>\n",
            width, height, width, height));
    svg.append(fmt("<title>%s</title>\n", escape(title)));
    svg.append(fmt("<rect width='%d' height='%d' fill='white'/>\n", width, height));
    svg.append(
        fmt("<text x='16' y='24' font-size='16' font-weight='bold'>%s</text>\n", escape(title)));
  }

  private static String close(StringBuilder svg) {
    return svg.append("</svg>\n").toString();
  }

  private static double scale(double x, boolean log) {
    return log ? Math.log10(Math.max(x, 1e-9)) : x;
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }

  private static String number(double x) {
    return x == Math.rint(x) ? fmt("%,d", (long) x) : fmt("%.2f", x);
  }

  /** Text as SVG character data: the five XML specials escaped. */
  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&apos;");
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
