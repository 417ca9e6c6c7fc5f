package dev.graft.advise;

import dev.graft.data.DataSplit;
import dev.graft.data.LabelEncoder;
import dev.graft.image.ImageFiles;
import dev.graft.image.ImagePipeline;
import dev.graft.image.Normalisation;
import dev.graft.train.ClassificationMetrics;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How far images are from an image backbone's domain, measured: a linear probe on the frozen
 * features against the same probe on the raw pixels (16×16, colour). Features that barely beat
 * pixels carry little the task can use as they are: the data is "different", and fine-tuning (or
 * learning from scratch) should pay; features far ahead of pixels mean "similar".
 */
final class PixelBaseline {

    /** Below this gain in macro-F1 over pixels the data counts as different. */
    static final double DIFFERENT_BELOW = 0.03;
    /** Above this gain it counts as similar. */
    static final double SIMILAR_ABOVE = 0.10;
    static final int SIZE = 16;
    private static final ImagePipeline PIPELINE = new ImagePipeline(SIZE, Normalisation.UNIT);

    private PixelBaseline() {}

    static Signal signal(DataSplit split, float[][] trainX, int[] trainY, float[][] validationX, int[] validationY,
            LabelEncoder labels, long seed) {
        int[] rows = java.util.Arrays.copyOf(Advisor.stratifiedOrder(trainY, labels.size(), seed),
                Math.min(trainY.length, 4 * Advisor.PROBE_EXAMPLES));
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = trainY[rows[i]];
        }
        double features = f1(Advisor.rows(trainX, rows), y, validationX, validationY, labels);
        List<String> trainTexts = split.train().texts();
        float[][] trainPixels = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            trainPixels[i] = pixels(trainTexts.get(rows[i]));
        }
        List<String> validationTexts = split.validation().texts();
        float[][] validationPixels = new float[validationTexts.size()][];
        for (int i = 0; i < validationPixels.length; i++) {
            validationPixels[i] = pixels(validationTexts.get(i));
        }
        double pixels = f1(trainPixels, y, validationPixels, validationY, labels);
        double gain = features - pixels;
        Signal.Verdict v = gain < DIFFERENT_BELOW ? Signal.Verdict.DIFFERENT
                : gain > SIMILAR_ABOVE ? Signal.Verdict.SIMILAR : Signal.Verdict.NEUTRAL;
        String meaning = v == Signal.Verdict.DIFFERENT
                ? "the pretrained features barely beat raw pixels: this data is far from what the backbone learned"
                : v == Signal.Verdict.SIMILAR ? "the pretrained features are far better than raw pixels: the backbone's domain fits"
                : "the pretrained features help somewhat";
        return new Signal("pixel_baseline", "linear probe macro-F1: frozen features vs raw " + SIZE + "×" + SIZE + " pixels",
                String.format(Locale.ROOT, "%.3f vs %.3f (%+.3f)", features, pixels, gain), v, meaning,
                Map.of("features_macro_f1", features, "pixels_macro_f1", pixels, "gain", gain, "examples", rows.length,
                        "different_below", DIFFERENT_BELOW, "similar_above", SIMILAR_ABOVE));
    }

    private static double f1(float[][] x, int[] y, float[][] validationX, int[] validationY, LabelEncoder labels) {
        LinearProbe probe = LinearProbe.fit(x, y, labels.size());
        return ClassificationMetrics.compute(validationY, probe.predict(validationX), labels.labels()).macroF1();
    }

    private static float[] pixels(String reference) {
        float[] out = new float[3 * SIZE * SIZE];
        PIPELINE.toTensor(ImageFiles.SHARED.read(reference), out, 0);
        return out;
    }
}
