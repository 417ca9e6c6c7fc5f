package dev.graft.advise;

import dev.graft.FitListener;
import dev.graft.FitRequest;
import dev.graft.GraftException;
import dev.graft.adapt.AdapterSpec;
import dev.graft.adapt.TrainingOptions;
import dev.graft.adapt.Strategy;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.Backbones;
import dev.graft.backbone.TrainableBackbone;
import dev.graft.backbone.text.TextTokenizer;
import dev.graft.data.DataSplit;
import dev.graft.data.DatasetProfile;
import dev.graft.data.DatasetValidator;
import dev.graft.data.Duplicates;
import dev.graft.data.LabelEncoder;
import dev.graft.data.TextDataset;
import dev.graft.data.TextLoader;
import dev.graft.train.ClassWeighting;
import dev.graft.train.ClassificationMetrics;
import dev.graft.train.EpochRecord;
import dev.graft.train.FeatureCache;
import dev.graft.train.FeatureExtractor;
import dev.graft.train.FeatureScaler;
import dev.graft.train.FineTuner;
import dev.graft.train.HeadSelection;
import dev.graft.train.Progress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Measures the data against the backbone and recommends a strategy.
 *
 * <p>"Small" and "large" come from the smallest class's count in the training split; "similar"
 * and "different" from measured signals: the tokenizer's unknown-token and fragmentation rates
 * against a reference sample of general English, how well a linear classifier tells the data's
 * frozen features from the reference's, the learning curve of a linear probe on the frozen
 * features, and — decisive when it speaks — what a short partial fine-tune on a subsample gains
 * over the frozen features. The classic table then picks the strategy.
 */
public final class Advisor {

    /** The smallest class needs at least this many training examples for the data to count as large. */
    public static final int LARGE_PER_CLASS = 300;
    /** Macro-F1 gained by the short fine-tune at which the frozen features are judged not enough. */
    public static final double FINE_TUNE_GAIN = 0.02;
    /** Macro-F1 gained by the short fine-tune at or below which the frozen features are judged enough. */
    public static final double NO_GAIN = 0.005;
    /** Macro-F1 the probe gains from half to all of the training data at which it is "still climbing". */
    public static final double CLIMBING = 0.02;
    /** Share of unknown tokens above which the vocabulary is judged foreign. */
    public static final double UNKNOWN_RATE = 0.01;
    /** Tokens per word, relative to the reference, above which words are judged foreign. */
    public static final double FRAGMENTATION_RATIO = 1.3;
    /** Domain-classifier accuracy below which the data is judged close to general text. */
    public static final double DOMAIN_CLOSE = 0.9;
    /** Training and validation examples of the short fine-tune (and of the domain classifier). */
    public static final int PROBE_EXAMPLES = 400;
    /** Training examples of each timed run (two epochs; the second is timed). */
    public static final int TIMED_EXAMPLES = 64;
    /** Share of available memory a recommended strategy may need before LoRA is preferred. */
    public static final double MEMORY_SHARE = 0.75;

    /** When to time a few steps of full fine-tuning and LoRA, for the time and memory estimates. */
    public enum TimedSteps {
        /** Never: no steps are timed. */
        NEVER,
        /** only when the table picks a strategy that fine-tunes: what {@code --strategy auto} needs */
        WHEN_FINE_TUNING,
        /** Always, whatever the table picks. */
        ALWAYS
    }

    /**
     * Which of the advisor's slower measurements to run.
     *
     * @param fineTuneProbe run the short partial fine-tune on a subsample (about a minute on 2 cores)
     * @param timing when to time a few steps of full fine-tuning and LoRA for the estimates
     */
    public record Options(boolean fineTuneProbe, TimedSteps timing) {
        /** {@return every measurement} */
        public static Options full() {
            return new Options(true, TimedSteps.ALWAYS);
        }

        /** {@return the measurements {@code --strategy auto} decides with} */
        public static Options forAuto() {
            return new Options(true, TimedSteps.WHEN_FINE_TUNING);
        }
    }

    private Advisor() {}

    /**
     * Reads the request's data and advises a strategy.
     *
     * @param request the data, backbone and options {@code graft fit} would use
     * @param options which of the slower measurements to run
     * @param listener hears progress
     * @return the advice
     */
    public static Advice advise(FitRequest request, Options options, FitListener listener) {
        return advise(dev.graft.FitData.load(request, listener), request, options, listener);
    }

    /**
     * Advises a strategy for data already loaded.
     *
     * @param data the data, already loaded and split (shared with the fits that follow)
     * @param request the backbone and options {@code graft fit} would use
     * @param options which of the slower measurements to run
     * @param listener hears progress
     * @return the advice
     */
    public static Advice advise(dev.graft.FitData data, FitRequest request, Options options, FitListener listener) {
        long start = System.nanoTime();
        long available = PeakMemory.availableBytes();
        TextDataset all = data.all();
        DataSplit split = data.split();
        LabelEncoder labels = data.labels();
        int[] trainY = labels.encodeAll(split.train());
        int[] validationY = labels.encodeAll(split.validation());
        int classes = labels.size();
        float[] weights = request.classWeighting().weights(trainY, classes);
        List<String> reasons = new ArrayList<>();

        try (Backbone backbone = Backbones.load(request.backbone(), request.maxLength());
                FeatureCache cache = FeatureCache.open(dev.graft.GraftCache.features(), backbone)) {
            DatasetProfile profile = DatasetProfile.ofCounts(all, backbone::tokenCounts, request.maxLength());
            Duplicates duplicates = Duplicates.of(all);
            listener.info(backbone instanceof dev.graft.backbone.vision.ImageBackbone ? profile.classTable() : profile.toTable());
            PeakMemory.reset();
            FeatureExtractor extractor = new FeatureExtractor(backbone, cache, request.batchSize());
            float[][] trainX = extractor.extract(split.train().texts(), listener.progress());
            float[][] validationX = extractor.extract(split.validation().texts(), listener.progress());
            boolean images = backbone instanceof dev.graft.backbone.vision.ImageBackbone;
            List<String> reference = images ? List.of() : ReferenceText.passages();
            float[][] referenceX = extractor.extract(reference, listener.progress());
            long featurePeak = PeakMemory.peakBytes();

            List<Signal> signals = domainSignals(backbone, split, reference, trainX, trainY, validationX, validationY,
                    referenceX, labels, request.training().seed());

            ProbeRun probe = null;
            if (options.fineTuneProbe() && backbone instanceof TrainableBackbone) {
                listener.info(String.format(Locale.ROOT, "short fine-tune: two-stage:2 on %d training examples",
                        Math.min(PROBE_EXAMPLES, trainY.length)));
                probe = fineTuneProbe(request, split, trainX, trainY, validationX, validationY, labels, weights, listener);
                signals.add(probe.signal());
            }

            int[] counts = new int[classes];
            for (int y : trainY) {
                counts[y]++;
            }
            int smallest = smallestClass(counts);
            boolean large = counts[smallest] >= LARGE_PER_CLASS;
            reasons.add(String.format(Locale.ROOT, "%s: the smallest class, '%s', has %,d training examples (large from %d)",
                    large ? "large" : "small", labels.labels().get(smallest), counts[smallest], LARGE_PER_CLASS));
            Signal.Verdict domain = decideDomain(signals, reasons);

            String pick = table(large, domain == Signal.Verdict.DIFFERENT);
            String runnerUp = runnerUp(large, domain == Signal.Verdict.DIFFERENT);
            reasons.add("the table: " + (large ? "large" : "small") + " + " + domain.word() + " → " + pick);
            if (dev.graft.backbone.vision.ImageBackbones.learnsFromScratch(backbone)) {
                pick = "full";
                runnerUp = "feature-extraction";
                reasons.add(backbone.id() + " is a random initialisation, not a pretrained network: it learns from scratch → full");
            }
            if (runnerUp.equals("lora") && !supportsAdapters(backbone, AdapterSpec.lora())) {
                runnerUp = "two-stage";
            }

            List<StrategyEstimate> estimates = new ArrayList<>();
            if (probe != null) {
                boolean timed = options.timing() == TimedSteps.ALWAYS
                        || options.timing() == TimedSteps.WHEN_FINE_TUNING && !pick.equals("feature-extraction");
                estimates = estimates(request, backbone, split, profile, probe, featurePeak, timed,
                        weights, trainX, trainY, validationX, validationY, classes, listener);
            }
            String memory = loraForMemory(pick, find(estimates, pick), available, supportsAdapters(backbone, AdapterSpec.lora()));
            if (memory != null) {
                reasons.add(memory);
                runnerUp = pick;
                pick = "lora";
            }
            if (weights != null) {
                reasons.add("classes are imbalanced: the loss is weighted per class (class weighting none turns it off)");
            }
            return new Advice(profile, duplicates, split.train().size(), split.validation().size(),
                    labels.labels().get(smallest), counts[smallest], large, domain, signals, pick, runnerUp, reasons,
                    estimates, available, (System.nanoTime() - start) / 1e9);
        }
    }

    /** {@return the index of the class with the fewest training examples (the first of equals)} */
    private static int smallestClass(int[] counts) {
        int smallest = 0;
        for (int k = 1; k < counts.length; k++) {
            if (counts[k] < counts[smallest]) {
                smallest = k;
            }
        }
        return smallest;
    }

    /**
     * @return the frozen-feature measurements of how close the data is to the backbone's domain:
     *     the tokenizer's view of the texts, the distance to reference passages (text) or to a
     *     pixel baseline (images), and the linear probe's learning curve
     */
    private static List<Signal> domainSignals(Backbone backbone, DataSplit split, List<String> reference, float[][] trainX,
            int[] trainY, float[][] validationX, int[] validationY, float[][] referenceX, LabelEncoder labels, long seed) {
        List<Signal> signals = new ArrayList<>();
        if (backbone instanceof TrainableBackbone trainable && trainable.encoder() instanceof TextTokenizer tokenizer) {
            signals.addAll(tokenizerSignals(tokenizer, sample(split.train().texts(), 1000, new Random(seed)), reference));
        }
        if (backbone instanceof dev.graft.backbone.vision.ImageBackbone) {
            signals.add(PixelBaseline.signal(split, trainX, trainY, validationX, validationY, labels, seed));
        } else {
            signals.add(domainSignal(trainX, referenceX, seed));
        }
        signals.add(probeCurve(trainX, trainY, validationX, validationY, labels, seed));
        return signals;
    }

    /** {@return whether the backbone takes LoRA adapters (a small CNN does not)} */
    static boolean supportsAdapters(Backbone backbone, AdapterSpec spec) {
        if (!(backbone instanceof TrainableBackbone trainable)) {
            return false;
        }
        try {
            trainable.adapterParameterCount(spec);
            return true;
        } catch (GraftException e) {
            return false;
        }
    }

    /** {@return the classic table, in Graft's strategies} */
    static String table(boolean large, boolean different) {
        if (!large) {
            return different ? "two-stage:2" : "feature-extraction";
        }
        return different ? "full" : "two-stage";
    }

    static String runnerUp(boolean large, boolean different) {
        if (!large) {
            return different ? "lora" : "two-stage:2";
        }
        return different ? "two-stage" : "two-stage:2";
    }

    /**
     * The short fine-tune decides when it is clear; otherwise the majority of the other signals,
     * ties going to "similar" (start simple).
     */
    static Signal.Verdict decideDomain(List<Signal> signals, List<String> reasons) {
        for (Signal s : signals) {
            if (s.id().equals("fine_tune_gain") && s.verdict() != Signal.Verdict.NEUTRAL) {
                reasons.add(s.verdict().word() + ": " + s.meaning());
                return s.verdict();
            }
        }
        int different = 0;
        int similar = 0;
        for (Signal s : signals) {
            if (s.id().equals("fine_tune_gain")) {
                continue;
            }
            different += s.verdict() == Signal.Verdict.DIFFERENT ? 1 : 0;
            similar += s.verdict() == Signal.Verdict.SIMILAR ? 1 : 0;
        }
        Signal.Verdict v = different > similar ? Signal.Verdict.DIFFERENT : Signal.Verdict.SIMILAR;
        reasons.add(String.format(Locale.ROOT, "%s: %d signals say different, %d similar%s", v.word(), different, similar,
                different == similar ? " (a tie starts simple)" : ""));
        return v;
    }

    static List<Signal> tokenizerSignals(TextTokenizer tokenizer, List<String> data, List<String> reference) {
        double[] d = pieces(tokenizer, data);
        double[] r = pieces(tokenizer, reference);
        double ratio = d[1] / r[1];
        Signal unknown = new Signal("unknown_tokens", "unknown tokens",
                String.format(Locale.ROOT, "%.2f %% (general English %.2f %%)", 100 * d[0], 100 * r[0]),
                d[0] > UNKNOWN_RATE ? Signal.Verdict.DIFFERENT : Signal.Verdict.SIMILAR,
                d[0] > UNKNOWN_RATE ? "characters or scripts the vocabulary lacks" : "the vocabulary covers the text",
                Map.of("data", d[0], "reference", r[0], "threshold", UNKNOWN_RATE));
        Signal fragments = new Signal("fragmentation", "subword tokens per word",
                String.format(Locale.ROOT, "%.2f (general English %.2f, ×%.2f)", d[1], r[1], ratio),
                ratio > FRAGMENTATION_RATIO ? Signal.Verdict.DIFFERENT : Signal.Verdict.SIMILAR,
                ratio > FRAGMENTATION_RATIO ? "words the vocabulary splits into pieces: jargon, codes or another language"
                        : "words mostly known to the vocabulary",
                Map.of("data", d[1], "reference", r[1], "ratio", ratio, "threshold", FRAGMENTATION_RATIO));
        return List.of(unknown, fragments);
    }

    /** {@return {unknown share, tokens per word} over all texts} */
    private static double[] pieces(TextTokenizer tokenizer, List<String> texts) {
        long tokens = 0;
        long words = 0;
        long unknown = 0;
        for (String t : texts) {
            TextTokenizer.Pieces p = tokenizer.pieces(t);
            tokens += p.tokens();
            words += p.words();
            unknown += p.unknown();
        }
        return new double[] {tokens == 0 ? 0 : (double) unknown / tokens, words == 0 ? 1 : (double) tokens / words};
    }

    static Signal domainSignal(float[][] data, float[][] reference, long seed) {
        Random random = new Random(seed);
        int n = Math.min(Math.min(data.length, reference.length), PROBE_EXAMPLES);
        float[][] x = new float[2 * n][];
        int[] y = new int[2 * n];
        int[] a = sampleIndices(data.length, n, random);
        int[] b = sampleIndices(reference.length, n, random);
        for (int i = 0; i < n; i++) {
            x[i] = data[a[i]];
            x[n + i] = reference[b[i]];
            y[n + i] = 1;
        }
        float[][] p = LinearProbe.outOfFold(x, y, 2, 5, seed);
        int correct = 0;
        for (int i = 0; i < p.length; i++) {
            correct += (p[i][1] > p[i][0] ? 1 : 0) == y[i] ? 1 : 0;
        }
        double accuracy = (double) correct / p.length;
        boolean close = accuracy < DOMAIN_CLOSE;
        return new Signal("domain_classifier", "frozen features vs general English",
                String.format(Locale.ROOT, "a linear classifier tells them apart %.1f %% of the time (chance 50 %%)", 100 * accuracy),
                close ? Signal.Verdict.SIMILAR : Signal.Verdict.NEUTRAL,
                close ? "the backbone sees this data much like general text"
                        : "the data is distinct from general text, as most task data is; this alone does not call for fine-tuning",
                Map.of("accuracy", accuracy, "examples_per_side", n, "threshold", DOMAIN_CLOSE));
    }

    static Signal probeCurve(float[][] trainX, int[] trainY, float[][] validationX, int[] validationY,
            LabelEncoder labels, long seed) {
        double[] fractions = {0.25, 0.5, 1.0};
        int[] order = stratifiedOrder(trainY, labels.size(), seed);
        double[] f1 = new double[fractions.length];
        for (int f = 0; f < fractions.length; f++) {
            int n = Math.max(labels.size(), (int) Math.round(fractions[f] * order.length));
            int[] rows = java.util.Arrays.copyOf(order, n);
            float[][] x = rows(trainX, rows);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = trainY[rows[i]];
            }
            LinearProbe probe = LinearProbe.fit(x, y, labels.size());
            f1[f] = ClassificationMetrics.compute(validationY, probe.predict(validationX), labels.labels()).macroF1();
        }
        double climb = f1[2] - f1[1];
        Signal.Verdict v = climb >= CLIMBING ? Signal.Verdict.DIFFERENT
                : climb < CLIMBING / 2 ? Signal.Verdict.SIMILAR : Signal.Verdict.NEUTRAL;
        String meaning = climb >= CLIMBING ? "the frozen features have not saturated: more adaptation should pay"
                : climb < CLIMBING / 2 ? "the frozen features have saturated on this data"
                : "the probe is still creeping up";
        return new Signal("probe_curve", "linear probe macro-F1 at 25/50/100 % of the training data",
                String.format(Locale.ROOT, "%.3f / %.3f / %.3f (%+.3f over the last half)", f1[0], f1[1], f1[2], climb),
                v, meaning, Map.of("macro_f1", List.of(f1[0], f1[1], f1[2]), "fractions", List.of(0.25, 0.5, 1.0),
                        "climb", climb, "threshold", CLIMBING));
    }

    /** What the short fine-tune measured. */
    record ProbeRun(Signal signal, int examples, double headSeconds, double secondsPerExample, double textsPerSecond,
            long peakBytes) {}

    private static ProbeRun fineTuneProbe(FitRequest request, DataSplit split, float[][] trainX, int[] trainY,
            float[][] validationX, int[] validationY, LabelEncoder labels, float[] weights, FitListener listener) {
        long seed = request.training().seed();
        int[] s = java.util.Arrays.copyOf(stratifiedOrder(trainY, labels.size(), seed), Math.min(PROBE_EXAMPLES, trainY.length));
        int[] v = java.util.Arrays.copyOf(stratifiedOrder(validationY, labels.size(), seed),
                Math.min(PROBE_EXAMPLES, validationY.length));
        float[][] sx = rows(trainX, s);
        float[][] vx = rows(validationX, v);
        int[] sy = pick(trainY, s);
        int[] vy = pick(validationY, v);
        List<String> sTexts = pick(split.train().texts(), s);
        List<String> vTexts = pick(split.validation().texts(), v);

        long t0 = System.nanoTime();
        HeadSelection.Result frozen = HeadSelection.select(sx, sy, labels.size(), weights, request.headSelection(),
                line -> {});
        double headSeconds = (System.nanoTime() - t0) / 1e9;
        double frozenF1 = ClassificationMetrics.compute(vy, dev.graft.train.ClassificationMetrics.argmax(frozen.head().probabilities(vx)), labels.labels()).macroF1();

        try (Backbone fresh = Backbones.load(request.backbone(), request.maxLength())) {
            TrainableBackbone trainable = (TrainableBackbone) fresh;
            PeakMemory.reset();
            FineTuner tuner = new FineTuner(trainable, new Strategy.TwoStage(2).plan(fresh, request.training()),
                    request.head(), FeatureScaler.fit(sx), labels.size(), seed, null, null).classWeights(weights);
            FineTuner.Result result = tuner.run(new FineTuner.Examples(sTexts, sy), new FineTuner.Examples(vTexts, vy), sx, vx,
                    quiet(listener));
            long peak = PeakMemory.peakBytes();
            double perExample = secondsPerExample(result.history(), "unfreeze", sTexts.size());
            float[][] tunedVx;
            try (FeatureCache memory = FeatureCache.inMemory(fresh)) {
                tunedVx = new FeatureExtractor(fresh, memory, request.batchSize()).extract(vTexts, Progress.NONE);
            }
            double textsPerSecond = textsPerSecond(fresh, split.train().texts(), request.batchSize());
            double tunedF1 = ClassificationMetrics.compute(vy, dev.graft.train.ClassificationMetrics.argmax(result.head().probabilities(tunedVx)), labels.labels())
                    .macroF1();
            double gain = tunedF1 - frozenF1;
            Signal.Verdict verdict = gain >= FINE_TUNE_GAIN ? Signal.Verdict.DIFFERENT
                    : gain <= NO_GAIN ? Signal.Verdict.SIMILAR : Signal.Verdict.NEUTRAL;
            String meaning = gain >= FINE_TUNE_GAIN
                    ? String.format(Locale.ROOT, "unfreezing two blocks gained %.3f macro-F1 on %d examples: the frozen features leave accuracy on the table", gain, s.length)
                    : gain <= NO_GAIN
                    ? String.format(Locale.ROOT, "unfreezing two blocks gained nothing (%+.3f) on %d examples: the frozen features already fit the task", gain, s.length)
                    : String.format(Locale.ROOT, "unfreezing two blocks gained a little (%+.3f) on %d examples", gain, s.length);
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("frozen_macro_f1", frozenF1);
            values.put("tuned_macro_f1", tunedF1);
            values.put("gain", gain);
            values.put("train_examples", s.length);
            values.put("validation_examples", v.length);
            values.put("threshold", FINE_TUNE_GAIN);
            Signal signal = new Signal("fine_tune_gain", "short fine-tune (two-stage:2) vs frozen features",
                    String.format(Locale.ROOT, "macro-F1 %.3f vs %.3f (%+.3f)", tunedF1, frozenF1, gain), verdict, meaning, values);
            return new ProbeRun(signal, s.length, headSeconds, perExample, textsPerSecond, peak);
        }
    }

    /**
     * @param pick the strategy the table chose
     * @param picked its estimate, or null when it was not measured
     * @param available bytes of memory available, or a negative number when unknown
     * @param adapters whether the backbone takes LoRA adapters
     * @return why LoRA should replace the pick — it would need more than {@link #MEMORY_SHARE} of the
     *     available memory — or null to keep it
     */
    static String loraForMemory(String pick, StrategyEstimate picked, long available, boolean adapters) {
        if (picked == null || available <= 0 || !adapters || pick.equals("feature-extraction") || pick.equals("lora")
                || picked.peakBytes() <= MEMORY_SHARE * available) {
            return null;
        }
        return String.format(Locale.ROOT, "%s would need about %s but %s is available: LoRA instead",
                pick, Advice.bytes(picked.peakBytes()), Advice.bytes(available));
    }

    private static List<StrategyEstimate> estimates(FitRequest request, Backbone backbone, DataSplit split,
            DatasetProfile profile, ProbeRun probe, long featurePeak, boolean timed, float[] weights, float[][] trainX,
            int[] trainY, float[][] validationX, int[] validationY, int classes, FitListener listener) {
        int n = split.train().size();
        int heldOut = split.validation().size() + split.test().size();
        int epochs = request.training().stageEpochs();
        double tps = probe.textsPerSecond();
        int groups = backbone.layerGroups().size();
        double tokens = Math.min(profile.p50(), request.maxLength());
        long boundaryBytes = (long) ((n + split.validation().size()) * tokens * backbone.featureSize() * 2);
        long head = headParameters(request, backbone.featureSize(), classes);
        double headSeconds = probe.headSeconds();
        double reextract = heldOut / tps;
        List<StrategyEstimate> out = new ArrayList<>();
        out.add(new StrategyEstimate("feature-extraction", head, 0, headSeconds, featurePeak));
        double partialFill = (n + split.validation().size()) * (groups - 2.0) / groups / tps;
        out.add(new StrategyEstimate("two-stage:2", head + tuned(backbone, 2), probe.secondsPerExample(),
                headSeconds + partialFill + epochs * n * probe.secondsPerExample() + reextract,
                probe.peakBytes() + boundaryBytes));
        if (timed) {
            long all = tuned(backbone, groups);
            Timing full = time(request, split, new Strategy.Full(), weights, trainX, trainY, validationX, validationY,
                    classes, listener);
            out.add(new StrategyEstimate("two-stage", head + all, full.secondsPerExample(),
                    headSeconds + epochs * n * full.secondsPerExample() + reextract, full.peakBytes()));
            out.add(new StrategyEstimate("full", head + all, full.secondsPerExample(),
                    epochs * n * full.secondsPerExample() + reextract, full.peakBytes()));
            AdapterSpec lora = AdapterSpec.lora();
            if (!supportsAdapters(backbone, lora)) {
                return out;
            }
            Timing adapters = time(request, split, new Strategy.Adapter(lora), weights, trainX, trainY, validationX,
                    validationY, classes, listener);
            long loraParameters = ((TrainableBackbone) backbone).adapterParameterCount(lora);
            out.add(new StrategyEstimate("lora", head + loraParameters, adapters.secondsPerExample(),
                    epochs * n * adapters.secondsPerExample() + reextract, adapters.peakBytes() + boundaryBytes));
        }
        return out;
    }

    private record Timing(double secondsPerExample, long peakBytes) {}

    private static Timing time(FitRequest request, DataSplit split, Strategy strategy, float[] weights, float[][] trainX,
            int[] trainY, float[][] validationX, int[] validationY, int classes, FitListener listener) {
        listener.info("timing a few steps of " + strategy.name());
        long seed = request.training().seed();
        int[] s = sampleIndices(trainY.length, Math.min(TIMED_EXAMPLES, trainY.length), new Random(seed));
        int[] v = sampleIndices(validationY.length, Math.min(16, validationY.length), new Random(seed));
        TrainingOptions twice = request.training().withEpochs(2);
        try (Backbone fresh = Backbones.load(request.backbone(), request.maxLength())) {
            PeakMemory.reset();
            FineTuner tuner = new FineTuner((TrainableBackbone) fresh, strategy.plan(fresh, twice), request.head(),
                    FeatureScaler.fit(rows(trainX, s)), classes, seed, null, null).classWeights(weights);
            FineTuner.Result result = tuner.run(new FineTuner.Examples(pick(split.train().texts(), s), pick(trainY, s)),
                    new FineTuner.Examples(pick(split.validation().texts(), v), pick(validationY, v)),
                    rows(trainX, s), rows(validationX, v), quiet(listener));
            EpochRecord last = result.history().get(result.history().size() - 1);
            return new Timing(last.seconds() / s.length, PeakMemory.peakBytes());
        }
    }

    /** Frozen feature extraction speed on up to 128 of the texts, after one warm-up batch. */
    private static double textsPerSecond(Backbone backbone, List<String> texts, int batchSize) {
        List<String> sample = sample(texts, 128 + batchSize, new Random(7));
        int warm = Math.min(batchSize, sample.size() / 2);
        try (FeatureCache memory = FeatureCache.inMemory(backbone)) {
            FeatureExtractor extractor = new FeatureExtractor(backbone, memory, batchSize);
            extractor.extract(sample.subList(0, warm), Progress.NONE);
            List<String> timed = sample.subList(warm, sample.size());
            long t0 = System.nanoTime();
            extractor.extract(timed, Progress.NONE);
            return timed.size() / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static FineTuner.Listener quiet(FitListener listener) {
        return new FineTuner.Listener() {
            @Override
            public Progress progress() {
                return listener.progress();
            }
        };
    }

    /** The last epoch of the stage: the first pays one-off costs (allocation, caches) that later ones do not. */
    private static double secondsPerExample(List<EpochRecord> history, String stage, int examples) {
        EpochRecord last = null;
        for (EpochRecord e : history) {
            if (e.stage().equals(stage)) {
                last = e;
            }
        }
        if (last == null) {
            throw new GraftException("the short fine-tune ran no '" + stage + "' epoch");
        }
        return last.seconds() / examples;
    }

    private static long tuned(Backbone backbone, int topGroups) {
        var groups = backbone.layerGroups();
        long n = 0;
        for (int g = groups.size() - topGroups; g < groups.size(); g++) {
            n += groups.get(g).parameters();
        }
        return n;
    }

    private static long headParameters(FitRequest request, int features, int classes) {
        int hidden = request.head().hidden();
        return hidden > 0 ? (long) features * hidden + hidden + (long) hidden * classes + classes
                : (long) features * classes + classes;
    }

    static StrategyEstimate find(List<StrategyEstimate> estimates, String strategy) {
        return estimates.stream().filter(e -> e.strategy().equals(strategy)).findFirst().orElse(null);
    }

    /** Each class's examples in a seeded random order, interleaved so that every prefix is stratified. */
    static int[] stratifiedOrder(int[] y, int classes, long seed) {
        Random random = new Random(seed);
        List<List<Integer>> members = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            members.add(new ArrayList<>());
        }
        for (int i = 0; i < y.length; i++) {
            members.get(y[i]).add(i);
        }
        for (List<Integer> m : members) {
            java.util.Collections.shuffle(m, random);
        }
        int[] out = new int[y.length];
        double[] taken = new double[classes];
        for (int i = 0; i < out.length; i++) {
            int best = -1;
            double lag = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                if (taken[k] < members.get(k).size()) {
                    double want = (i + 1.0) * members.get(k).size() / y.length - taken[k];
                    if (want > lag) {
                        lag = want;
                        best = k;
                    }
                }
            }
            out[i] = members.get(best).get((int) taken[best]);
            taken[best]++;
        }
        return out;
    }

    private static int[] sampleIndices(int n, int k, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, random);
        return order.subList(0, k).stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<String> sample(List<String> texts, int k, Random random) {
        return pick(texts, sampleIndices(texts.size(), Math.min(k, texts.size()), random));
    }

    static float[][] rows(float[][] x, int[] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = x[rows[i]];
        }
        return out;
    }

    private static int[] pick(int[] y, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = y[rows[i]];
        }
        return out;
    }

    private static List<String> pick(List<String> texts, int[] rows) {
        List<String> out = new ArrayList<>();
        for (int r : rows) {
            out.add(texts.get(r));
        }
        return out;
    }
}
