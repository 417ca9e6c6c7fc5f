package dev.graft.report;

import dev.graft.compare.ComparedRun;
import dev.graft.compare.StrategySummary;
import dev.graft.train.EpochRecord;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, drawn by XChart and inlined as SVG. */
final class Charts {

    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * Train and validation loss (left axis) and validation macro-F1 (right axis) per epoch, with a
     * dashed line where a new stage begins (e.g. the backbone is unfrozen).
     */
    static String learningCurves(String title, List<EpochRecord> history) {
        XYChart chart = new XYChartBuilder().width(560).height(300).title(title).xAxisTitle("epoch").yAxisTitle("loss").build();
        style(chart.getStyler());
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setYAxisMin(0, 0.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisMin(1, 0.0);
        chart.getStyler().setYAxisMax(1, 1.0);
        chart.setYAxisGroupTitle(1, "validation macro-F1");
        chart.getStyler().setAnnotationLineColor(Color.GRAY);
        chart.getStyler().setAnnotationLineStroke(new java.awt.BasicStroke(1.2f, java.awt.BasicStroke.CAP_BUTT,
                java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        int n = history.size();
        double[] x = new double[n];
        double[] train = new double[n];
        double[] validation = new double[n];
        double[] f1 = new double[n];
        for (int i = 0; i < n; i++) {
            EpochRecord e = history.get(i);
            x[i] = i + 1;
            train[i] = finite(e.trainLoss());
            validation[i] = finite(e.validationLoss());
            f1[i] = finite(e.validationMacroF1());
            if (i > 0 && !String.valueOf(e.stage()).equals(String.valueOf(history.get(i - 1).stage()))) {
                chart.addAnnotation(new AnnotationLine(i + 0.5, true, false));
            }
        }
        line(chart.addSeries("train loss", x, train), PALETTE[0]);
        line(chart.addSeries("validation loss", x, validation), PALETTE[1]);
        XYSeries metric = chart.addSeries("validation macro-F1", x, f1);
        line(metric, PALETTE[2]);
        metric.setYAxisGroup(1);
        return svg(chart);
    }

    /** Test macro-F1 per run against its wall time (log scale), one colour per strategy, the Pareto front joined. */
    static String pareto(List<StrategySummary> summaries, List<ComparedRun> runs) {
        XYChart chart = new XYChartBuilder().width(560).height(340).title("accuracy against time")
                .xAxisTitle("wall time of a fit, s (log)").yAxisTitle("test macro-F1").build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setXAxisLogarithmicDecadeOnly(false);
        chart.getStyler().setMarkerSize(9);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setYAxisDecimalPattern("0.000");
        for (int s = 0; s < summaries.size(); s++) {
            String strategy = summaries.get(s).strategy();
            List<ComparedRun> mine = runs.stream().filter(r -> r.strategy().equals(strategy)).toList();
            XYSeries series = chart.addSeries(strategy, mine.stream().mapToDouble(r -> Math.max(0.01, r.seconds())).toArray(),
                    mine.stream().mapToDouble(r -> r.test().macroF1()).toArray());
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setMarkerColor(PALETTE[s % PALETTE.length]);
        }
        List<StrategySummary> front = new ArrayList<>(summaries.stream().filter(StrategySummary::pareto).toList());
        front.sort(Comparator.comparingDouble(StrategySummary::seconds));
        if (!front.isEmpty()) {
            XYSeries line = chart.addSeries("Pareto front (means)", front.stream().mapToDouble(f -> Math.max(0.01, f.seconds())).toArray(),
                    front.stream().mapToDouble(StrategySummary::testMacroF1).toArray());
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(SeriesMarkers.DIAMOND);
            line.setLineColor(Color.DARK_GRAY);
            line.setMarkerColor(Color.DARK_GRAY);
        }
        return svg(chart);
    }

    /** Mean test macro-F1 per strategy with its 95 % interval. */
    static String accuracy(List<StrategySummary> summaries) {
        CategoryChart chart = new CategoryChartBuilder().width(560).height(300).title("test macro-F1, mean and 95 % interval")
                .xAxisTitle("strategy").yAxisTitle("test macro-F1").build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        double low = summaries.stream().mapToDouble(s -> s.testMacroF1() - s.testMacroF1Interval()).min().orElse(0);
        chart.getStyler().setYAxisMin(Math.max(0, Math.floor((low - 0.02) * 20) / 20));
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setErrorBarsColor(Color.BLACK);
        chart.addSeries("test macro-F1", summaries.stream().map(StrategySummary::strategy).toList(),
                summaries.stream().map(StrategySummary::testMacroF1).toList(),
                summaries.stream().map(StrategySummary::testMacroF1Interval).toList());
        return svg(chart);
    }

    /** Peak resident memory per strategy. */
    static String memory(List<StrategySummary> summaries) {
        CategoryChart chart = new CategoryChartBuilder().width(560).height(300).title("peak memory of a fit")
                .xAxisTitle("strategy").yAxisTitle("GB").build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setSeriesColors(new Color[] {PALETTE[3]});
        chart.addSeries("peak resident memory", summaries.stream().map(StrategySummary::strategy).toList(),
                summaries.stream().map(s -> s.peakBytes() < 0 ? 0.0 : s.peakBytes() / (double) (1L << 30)).toList());
        return svg(chart);
    }

    private static void line(XYSeries series, Color color) {
        series.setMarker(series.getXData().length <= 20 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        series.setMarkerColor(color);
        series.setLineColor(color);
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : Double.NaN;
    }

    private static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setPlotGridLinesColor(new Color(0xe5e5e5));
        styler.setSeriesColors(PALETTE);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        styler.setLegendBorderColor(Color.WHITE);
        styler.setAntiAlias(true);
    }

    /** @return the chart as an inline {@code <svg>} element (prolog and doctype removed) */
    static String svg(Chart<?, ?> chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String svg = out.toString(StandardCharsets.UTF_8);
        int start = svg.indexOf("<svg");
        return start < 0 ? svg : svg.substring(start);
    }
}
