package dev.graft;

import dev.graft.image.ImageEncoder;
import dev.graft.train.ClassificationMetrics;
import dev.graft.train.HeadSelection;
import java.util.Arrays;
import java.util.Map;

/**
 * Feature extraction: heads compete on the frozen features, each regularised by cross-validation.
 * The head learns from every labelled row it may see, Graft's own validation split included;
 * augmented views come last and train with the image they copy.
 */
final class FrozenHeadTrainer implements Trainer {

    @Override
    public Trained train(Input in) {
        FitData data = in.data();
        Features f = in.features();
        int[] trainY = data.trainY();
        int[] validationY = data.validationY();
        boolean pooled = !data.validationGiven();
        float[][] originalX = pooled ? concat(f.train(), f.validation()) : f.train();
        int[] originalY = pooled ? concat(trainY, validationY) : trainY;
        int[] viewOf = new int[f.viewX().length];
        for (int v = 0; v < viewOf.length; v++) {
            viewOf[v] = v % f.train().length;
        }
        int[] viewY = ImageEncoder.repeatLabels(trainY, in.request().images().cachedViews());
        HeadSelection.Result selection = HeadSelection.select(concat(originalX, f.viewX()), concat(originalY, viewY),
                data.labels().size(), in.classWeights(), in.request().headSelection(), in.listener()::info, viewOf);
        selection.history().forEach(in.onEpoch());
        ClassificationMetrics crossValidated = ClassificationMetrics.compute(originalY, selection.outOfFold(),
                data.labels().labels());
        return new Trained(selection.head(), Map.of(), selection.chosen().epochs(), selection.history(), selection,
                crossValidated, pooled ? new float[0][] : f.validation(), pooled ? new int[0] : validationY, f.test());
    }

    private static float[][] concat(float[][] a, float[][] b) {
        float[][] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
