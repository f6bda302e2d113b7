package io.distillery.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardXYItemLabelGenerator;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The experiment's two kinds of plot, drawn with JFreeChart and written as PNG (for reports and
 * slides) and SVG (JFreeSVG, for print): horizontal bars with interval whiskers, and lines over x
 * with interval whiskers. Both keep the score axis at 0 … 1, the range of every score here, so
 * plots of different runs compare at a glance and no gap is blown up by a cut axis. Headless: no
 * display is needed, only the JDK's fonts.
 */
final class Plots {

  /** Colours that stay apart for common colour blindness (Okabe-Ito). */
  static final List<Color> PALETTE =
      List.of(
          new Color(0x0072B2),
          new Color(0xE69F00),
          new Color(0x009E73),
          new Color(0xCC79A7),
          new Color(0x56B4E9),
          new Color(0xD55E00),
          new Color(0xF0E442));

  static final Color GREY = new Color(0x777777);

  static final int WIDTH = 860;
  static final int HEIGHT = 440;

  /**
   * One bar.
   *
   * @param label its name, left of it
   * @param value its length, 0 … 1
   * @param lower lower end of its whisker, or null for none
   * @param upper upper end of its whisker, or null for none
   * @param colour fill colour
   */
  record Bar(String label, double value, Double lower, Double upper, Color colour) {}

  /**
   * A reference line across the plot.
   *
   * @param label its name
   * @param value where, 0 … 1
   * @param colour its colour
   */
  record Reference(String label, double value, Color colour) {}

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
  record Series(String name, Color colour, List<Point> points) {}

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Plots() {}

  /** Horizontal bars on a 0 … 1 axis, with whiskers, their values, and reference lines. */
  static JFreeChart bars(String title, String axis, List<Bar> bars, List<Reference> references) {
    var data = new XYIntervalSeriesCollection();
    var series = new XYIntervalSeries("bars");
    var labels = new String[bars.size()];
    for (int i = 0; i < bars.size(); i++) {
      var bar = bars.get(i);
      labels[i] = bar.label();
      series.add(
          i,
          i - 0.3,
          i + 0.3,
          bar.value(),
          bar.lower() == null ? bar.value() : bar.lower(),
          bar.upper() == null ? bar.value() : bar.upper());
    }
    data.addSeries(series);
    var categories = new SymbolAxis(null, labels);
    categories.setInverted(true);
    categories.setGridBandsVisible(false);
    var fill =
        new XYBarRenderer() {
          @Override
          public java.awt.Paint getItemPaint(int row, int column) {
            return bars.get(column).colour();
          }
        };
    fill.setShadowVisible(false);
    fill.setBarPainter(new StandardXYBarPainter());
    fill.setUseYInterval(false);
    fill.setDefaultItemLabelGenerator(
        new StandardXYItemLabelGenerator(
            "{2}", new DecimalFormat("0"), new DecimalFormat("0.000")));
    fill.setDefaultItemLabelsVisible(true);
    fill.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    fill.setDefaultPositiveItemLabelPosition(
        new ItemLabelPosition(ItemLabelAnchor.INSIDE3, TextAnchor.CENTER_RIGHT));
    var plot = new XYPlot(data, categories, scoreAxis(axis), fill);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setDataset(1, data);
    plot.setRenderer(1, whiskers());
    // Whiskers over the bars.
    plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.FORWARD);
    references.forEach(r -> plot.addRangeMarker(marker(r, false)));
    return chart(title, plot, false);
  }

  /**
   * Lines over x with whiskers, on a 0 … 1 y axis; x linear or logarithmic, ticked at the points' x
   * values.
   */
  static JFreeChart lines(
      String title,
      String xAxis,
      String yAxis,
      boolean logX,
      List<Series> series,
      List<Reference> references) {
    var data = new XYIntervalSeriesCollection();
    double least = Double.MAX_VALUE;
    double most = 0;
    for (var s : series) {
      var line = new XYIntervalSeries(s.name());
      for (var p : s.points()) {
        line.add(p.x(), p.x(), p.x(), p.y(), p.lower(), p.upper());
        least = Math.min(least, p.x());
        most = Math.max(most, p.x());
      }
      data.addSeries(line);
    }
    ValueAxis x;
    if (logX) {
      var log = new LogAxis(xAxis);
      log.setBase(10);
      log.setSmallestValue(1);
      log.setNumberFormatOverride(new DecimalFormat("#,##0"));
      // Ticks at 1, 3.16, 10, 31.6, ... of the points' decades, a little room either side.
      log.setAutoTickUnitSelection(false);
      log.setTickUnit(new NumberTickUnit(0.5));
      if (most > 0) {
        log.setRange(least / 1.4, most * 1.4);
      }
      x = log;
    } else {
      var linear = new NumberAxis(xAxis);
      linear.setAutoRangeIncludesZero(true);
      x = linear;
    }
    var plot = new XYPlot(data, x, scoreAxis(yAxis), lineRenderer(series));
    references.forEach(r -> plot.addRangeMarker(marker(r, true)));
    return chart(title, plot, true);
  }

  /** Writes {@code chart} as {@code name.png} and {@code name.svg} in {@code dir}. */
  static void write(JFreeChart chart, Path dir, String name) throws IOException {
    Files.write(dir.resolve(name + ".png"), png(chart));
    Files.writeString(dir.resolve(name + ".svg"), svg(chart), StandardCharsets.UTF_8);
  }

  static byte[] png(JFreeChart chart) throws IOException {
    BufferedImage image = chart.createBufferedImage(WIDTH, HEIGHT);
    var out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  static String svg(JFreeChart chart) {
    var g = new SVGGraphics2D(WIDTH, HEIGHT);
    chart.draw(g, new java.awt.Rectangle(0, 0, WIDTH, HEIGHT));
    // The element alone, without getSVGDocument()'s DOCTYPE: a DTD reference invites any XML
    // parser that reads the file to fetch it from www.w3.org.
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + g.getSVGElement() + "\n";
  }

  private static XYErrorRenderer lineRenderer(List<Series> series) {
    var renderer = new XYErrorRenderer();
    renderer.setDrawXError(false);
    renderer.setDrawYError(true);
    renderer.setDefaultLinesVisible(true);
    renderer.setDefaultShapesVisible(true);
    for (int i = 0; i < series.size(); i++) {
      renderer.setSeriesPaint(i, series.get(i).colour());
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    renderer.setErrorPaint(Color.DARK_GRAY);
    renderer.setCapLength(8);
    return renderer;
  }

  private static NumberAxis scoreAxis(String label) {
    var axis = new NumberAxis(label);
    axis.setRange(0, 1);
    axis.setTickUnit(new NumberTickUnit(0.2));
    return axis;
  }

  /** Error bars alone: no line, no marker. */
  private static XYErrorRenderer whiskers() {
    var renderer = new XYErrorRenderer();
    renderer.setDrawXError(false);
    renderer.setDrawYError(true);
    renderer.setDefaultLinesVisible(false);
    renderer.setDefaultShapesVisible(false);
    renderer.setErrorPaint(Color.DARK_GRAY);
    renderer.setErrorStroke(new BasicStroke(1.5f));
    renderer.setCapLength(10);
    return renderer;
  }

  /** A dashed line at a reference value, labelled at its end: across the plot or up it. */
  private static ValueMarker marker(Reference r, boolean across) {
    var marker =
        new ValueMarker(
            r.value(),
            r.colour(),
            new BasicStroke(
                1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    marker.setLabel(r.label());
    marker.setLabelPaint(r.colour());
    marker.setLabelBackgroundColor(new Color(255, 255, 255, 200));
    marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    marker.setLabelAnchor(across ? RectangleAnchor.RIGHT : RectangleAnchor.TOP_RIGHT);
    marker.setLabelTextAnchor(across ? TextAnchor.BOTTOM_RIGHT : TextAnchor.TOP_LEFT);
    return marker;
  }

  private static JFreeChart chart(String title, XYPlot plot, boolean legend) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDDDDDD));
    plot.setRangeGridlinePaint(new Color(0xDDDDDD));
    var chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, legend);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    return chart;
  }
}
