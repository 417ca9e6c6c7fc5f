package dev.graft;

import dev.graft.adapt.FineTunePlan;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.vision.ImageBackbone;
import dev.graft.train.FeatureCache;
import dev.graft.train.FeatureExtractor;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The backbone's features of every part of the data, computed once per fit (or read from the cache).
 *
 * @param train features of the training part
 * @param views augmented training views (image paths with their augmentation), empty unless cached views were asked for
 * @param viewX features of {@code views}
 * @param validation features of the validation part
 * @param test features of the test part
 * @param computed texts run through the backbone (the rest came from the cache)
 * @param seconds wall time of the extraction, cache reads included
 */
record Features(float[][] train, List<String> views, float[][] viewX, float[][] validation, float[][] test, int computed,
        double seconds) {

    static Features extract(FitData data, FitRequest request, FineTunePlan plan, Backbone backbone, FeatureCache cache,
            FitListener listener) {
        long t0 = System.nanoTime();
        int cachedBefore = cache.size();
        FeatureExtractor extractor = new FeatureExtractor(backbone, cache, request.batchSize());
        float[][] trainX = extractor.extract(data.split().train().texts(), listener.progress());
        List<String> views = List.of();
        float[][] viewX = new float[0][];
        if (plan.backboneFrozen() && request.images().cachedViews() > 0) {
            if (!(backbone instanceof ImageBackbone image)) {
                throw new GraftException("cached augmented views need an image backbone; " + backbone.id() + " reads text");
            }
            views = image.encoder().views(data.split().train().texts(), request.images().cachedViews());
            viewX = extractor.extract(views, listener.progress());
            listener.info(String.format("cached views: %,d augmented training views besides the %,d originals",
                    views.size(), data.split().train().size()));
        }
        float[][] validationX = extractor.extract(data.split().validation().texts(), listener.progress());
        float[][] testX = extractor.extract(data.split().test().texts(), listener.progress());
        int computed = cache.size() - cachedBefore;
        double seconds = (System.nanoTime() - t0) / 1e9;
        Set<String> distinct = new HashSet<>(data.split().train().texts());
        distinct.addAll(data.split().validation().texts());
        distinct.addAll(data.split().test().texts());
        distinct.addAll(views);
        listener.info(String.format("features: %,d computed, %,d from cache, %,d distinct %s (%.1f s)",
                computed, distinct.size() - computed, distinct.size(), backbone instanceof ImageBackbone ? "images" : "texts",
                seconds));
        return new Features(trainX, views, viewX, validationX, testX, computed, seconds);
    }
}
