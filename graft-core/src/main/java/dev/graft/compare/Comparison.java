package dev.graft.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.FitListener;
import dev.graft.FitRequest;
import dev.graft.FitResult;
import dev.graft.Graft;
import dev.graft.GraftException;
import dev.graft.Parameter;
import dev.graft.adapt.FineTunePlan;
import dev.graft.adapt.Strategy;
import dev.graft.advise.Advice;
import dev.graft.advise.Advisor;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.Backbones;
import dev.graft.data.DataSplit;
import dev.graft.data.TextDataset;
import dev.graft.data.TextExample;
import dev.graft.data.TextLoadOptions;
import dev.graft.data.TextLoader;
import dev.graft.io.AtomicFiles;
import dev.graft.train.ClassificationMetrics;
import dev.graft.train.EpochLog;
import dev.graft.train.FeatureCache;
import dev.graft.train.FeatureExtractor;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fits several strategies with several seeds on one split, with the same epoch budget, and
 * summarises each strategy: mean and 95 % interval of the test macro-F1, time, memory,
 * trainable parameters and estimated compute, and which strategies are on the Pareto front of
 * accuracy, time and memory.
 */
public final class Comparison {

    /**
     * What a comparison runs: strategies, seeds, budget and timeout.
     *
     * @param strategies compared, in the order given
     * @param seeds used for every strategy
     * @param epochs epoch budget of every stage that trains the backbone (feature extraction keeps its automatic budget)
     * @param advise run the advisor first (its reasoning goes into the report)
     * @param runTimeout a run that takes longer is stopped and reported as failed; positive
     */
    public record Options(List<String> strategies, List<Long> seeds, int epochs, boolean advise,
            java.time.Duration runTimeout) {

        /** A run that takes longer than this by default is stopped and reported as failed. */
        public static final java.time.Duration DEFAULT_RUN_TIMEOUT = java.time.Duration.ofHours(4);

        /**
         * Options with the default run timeout, {@link #DEFAULT_RUN_TIMEOUT}.
         *
         * @param strategies compared, in the order given
         * @param seeds used for every strategy
         * @param epochs epoch budget of every stage that trains the backbone
         * @param advise run the advisor first (its reasoning goes into the report)
         */
        public Options(List<String> strategies, List<Long> seeds, int epochs, boolean advise) {
            this(strategies, seeds, epochs, advise, DEFAULT_RUN_TIMEOUT);
        }

        /**
         * Checks the timeout, that there is a strategy and a seed, and the epoch budget.
         *
         * @param strategies compared, in the order given
         * @param seeds used for every strategy
         * @param epochs epoch budget of every stage that trains the backbone (feature extraction keeps its automatic budget)
         * @param advise run the advisor first (its reasoning goes into the report)
         * @param runTimeout a run that takes longer is stopped and reported as failed; positive
         */
        public Options {
            if (runTimeout == null || runTimeout.isNegative() || runTimeout.isZero()) {
                throw new GraftException("the run timeout must be longer than zero, not " + runTimeout);
            }
            if (strategies.isEmpty() || seeds.isEmpty()) {
                throw new GraftException("give at least one strategy and one seed");
            }
            if (epochs < 1) {
                throw new GraftException(Parameter.EPOCHS, epochs, "must be at least 1");
            }
            strategies.forEach(Strategy::parse);
            strategies = List.copyOf(strategies);
            seeds = List.copyOf(seeds);
        }
    }

    /**
     * What a comparison measured.
     *
     * @param request the data and options compared (its strategy, seed and out are replaced per run)
     * @param options what is compared
     * @param split the shared train/validation/test files
     * @param featureSeconds time of the shared frozen-feature extraction, done once before the runs
     * @param meanTokens mean tokens per training example after truncation
     * @param runs every run, strategy by strategy, seed by seed
     * @param summaries one per strategy, in the order given
     * @param advice the advisor's measurements, or null
     * @param seconds wall time of the whole comparison
     * @param failures runs that failed, one line each (they are left out of the summaries)
     */
    public record Result(FitRequest request, Options options, Map<String, Path> split, double featureSeconds,
            double meanTokens, List<ComparedRun> runs, List<StrategySummary> summaries, Advice advice, double seconds,
            List<String> failures) {

        /**
         * {@return the summary of {@code strategy}}
         *
         * @param strategy a strategy of {@link Options#strategies()}, as given
         */
        public StrategySummary summary(String strategy) {
            return summaries.stream().filter(s -> s.strategy().equals(strategy)).findFirst().orElseThrow();
        }

        /** {@return the run with the best test macro-F1 (ties: the first)} */
        public ComparedRun best() {
            ComparedRun best = runs.get(0);
            for (ComparedRun r : runs) {
                if (r.test().macroF1() > best.test().macroF1()) {
                    best = r;
                }
            }
            return best;
        }
    }

    private Comparison() {}

    /**
     * Runs every strategy with every seed on one shared split, each in its own JVM.
     *
     * @param request data, backbone, head and options
     * @param options strategies, seeds, budget
     * @param work directory for the split, the bundles and the epoch logs
     * @param listener hears progress
     * @return every run and the summaries
     */
    public static Result run(FitRequest request, Options options, Path work, FitListener listener) {
        long start = System.nanoTime();
        SharedSplit sharedSplit = shareSplit(request, work, listener);
        FitRequest shared = sharedSplit.request();
        Advice advice = null;
        if (options.advise()) {
            listener.info("compare: the advisor measures the data first");
            advice = Advisor.advise(shared, new Advisor.Options(true, Advisor.TimedSteps.NEVER), listener);
            listener.info("compare: advisor recommends " + advice.recommendation());
        }
        double featureSeconds;
        double meanTokens;
        List<dev.graft.backbone.LayerGroup> groups;
        int trainRows;
        int distinctTexts;
        try (Backbone backbone = Backbones.load(shared.backbone(), shared.maxLength());
                FeatureCache cache = FeatureCache.open(dev.graft.GraftCache.features(), backbone)) {
            groups = backbone.layerGroups();
            List<String> texts = new ArrayList<>();
            List<String> train = sharedSplit.split().train().texts();
            trainRows = train.size();
            texts.addAll(train);
            texts.addAll(sharedSplit.split().validation().texts());
            texts.addAll(sharedSplit.split().test().texts());
            distinctTexts = (int) texts.stream().distinct().count();
            long t0 = System.nanoTime();
            listener.info("compare: frozen features of " + distinctTexts + " texts, computed once for every run");
            new FeatureExtractor(backbone, cache, shared.batchSize()).extract(texts, listener.progress());
            featureSeconds = (System.nanoTime() - t0) / 1e9;
            meanTokens = train.stream().mapToInt(t -> Math.min(shared.maxLength(), backbone.tokenCount(t))).average().orElse(0);
        }

        List<ComparedRun> runs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        int total = options.strategies().size() * options.seeds().size();
        int index = 0;
        for (String strategy : options.strategies()) {
            for (long seed : options.seeds()) {
                listener.info(String.format(Locale.ROOT, "compare: run %d of %d, %s, seed %d (own process)", ++index, total,
                        strategy, seed));
                try {
                    runs.add(runOne(shared, strategy, seed, options, work, groups, trainRows, meanTokens, distinctTexts,
                            listener));
                } catch (GraftException e) {
                    failures.add(e.getMessage());
                    listener.info("compare: " + e.getMessage() + "; the comparison goes on without it");
                    continue;
                }
                ComparedRun r = runs.get(runs.size() - 1);
                listener.info(String.format(Locale.ROOT, "compare: %s seed %d: test macro-F1 %.4f, %.0f s, peak %s",
                        strategy, seed, r.test().macroF1(), r.seconds(),
                        r.peakBytes() > 0 ? String.format(Locale.ROOT, "%.2f GB", r.peakBytes() / (double) (1L << 30)) : "?"));
            }
        }
        if (runs.isEmpty()) {
            throw new GraftException("every run failed: " + String.join("; ", failures));
        }
        return new Result(shared, options, Map.of("train", shared.data(), "validation", shared.validationData(),
                "test", shared.testData()), featureSeconds, meanTokens, runs, summarise(options.strategies(), runs), advice,
                (System.nanoTime() - start) / 1e9, List.copyOf(failures));
    }

    private static ComparedRun runOne(FitRequest shared, String strategy, long seed, Options options, Path work,
            List<dev.graft.backbone.LayerGroup> groups, int trainRows, double meanTokens, int distinctTexts, FitListener listener) {
        int epochs = options.epochs();
        String name = strategy.replace(':', '-') + "-seed" + seed;
        Path bundle = work.resolve(name + ".graft");
        Path log = work.resolve(name + ".log.jsonl");
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new GraftException("cannot replace " + log + ": " + e.getMessage(), e);
        }
        dev.graft.adapt.Strategy parsed = dev.graft.adapt.Strategy.parse(strategy);
        boolean headOnly = parsed instanceof dev.graft.adapt.Strategy.FeatureExtraction;
        FitRequest run = shared.withDerivedStrategy(parsed)
                .withTraining(shared.training().toBuilder().seed(seed).epochs(headOnly ? 0 : epochs).build())
                .withOut(bundle)
                .withRun(work.resolve(name + ".checkpoint"), log);
        Map<String, Object> outcome = WorkerProcess.run(run, work.resolve(name), options.runTimeout(), listener);
        ClassificationMetrics validation = metrics(outcome.get("validation"));
        ClassificationMetrics test = metrics(outcome.get("test"));
        List<dev.graft.train.EpochRecord> history = EpochLog.read(log);
        FineTunePlan fineTunePlan = Graft.plan(run, groups.stream().map(dev.graft.backbone.LayerGroup::name).toList());
        boolean frozen = fineTunePlan.backboneFrozen();
        long total = ((Number) outcome.get("total")).longValue();
        long backboneParameters = groups.stream().mapToLong(dev.graft.backbone.LayerGroup::parameters).sum();
        double flops = ComputeEstimate.trainingFlops(groups, frozen ? null : fineTunePlan, history, trainRows, meanTokens,
                Math.max(0, total - backboneParameters), distinctTexts);
        return new ComparedRun(strategy, seed, validation, test, ((Number) outcome.get("seconds")).doubleValue(),
                ((Number) outcome.get("peak_bytes")).longValue(), ((Number) outcome.get("trainable")).longValue(), total,
                (long) trainRows * history.size(), flops, frozen ? null : fineTunePlan, history, log, bundle);
    }

    /** Rebuilds metrics from the confusion matrix a worker wrote. */
    @SuppressWarnings("unchecked")
    static ClassificationMetrics metrics(Object json) {
        Map<String, Object> confusion = (Map<String, Object>) ((Map<String, Object>) json).get("confusion");
        List<String> labels = (List<String>) confusion.get("labels");
        List<List<Number>> matrix = (List<List<Number>>) confusion.get("matrix");
        List<Integer> truth = new ArrayList<>();
        List<Integer> predicted = new ArrayList<>();
        for (int i = 0; i < matrix.size(); i++) {
            for (int j = 0; j < matrix.get(i).size(); j++) {
                for (int n = 0; n < matrix.get(i).get(j).intValue(); n++) {
                    truth.add(i);
                    predicted.add(j);
                }
            }
        }
        return ClassificationMetrics.compute(truth.stream().mapToInt(Integer::intValue).toArray(),
                predicted.stream().mapToInt(Integer::intValue).toArray(), labels);
    }

    /** The request that reads the split written once, and that split. */
    private record SharedSplit(FitRequest request, DataSplit split) {}

    /** Writes the split once, so every strategy and seed trains and is measured on the same examples. */
    private static SharedSplit shareSplit(FitRequest request, Path work, FitListener listener) {
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new GraftException("cannot create " + work + ": " + e.getMessage(), e);
        }
        DataSplit split = dev.graft.FitData.load(request, listener).split();
        if (split.test().size() == 0) {
            throw new GraftException(Parameter.TEST_DATA, null, "is needed for a comparison: give a test set, or no "
                    + "validation data so that 10 % of the data is held out for testing");
        }
        Path train = work.resolve("train.jsonl");
        Path validation = work.resolve("validation.jsonl");
        Path test = work.resolve("test.jsonl");
        writeJsonl(train, split.train());
        writeJsonl(validation, split.validation());
        writeJsonl(test, split.test());
        listener.info(String.format(Locale.ROOT, "compare: one split for every run: train %,d · validation %,d · test %,d (%s)",
                split.train().size(), split.validation().size(), split.test().size(), work));
        return new SharedSplit(FitRequest.of(train, request.out())
                .withHeldOut(validation, test)
                .withLoadOptions(TextLoadOptions.defaults())
                .withBackbone(request.backbone(), request.strategy(), request.maxLength())
                .withHead(request.head())
                .withTraining(request.training())
                .withClassWeighting(request.classWeighting()), split);
    }

    private static void writeJsonl(Path file, TextDataset data) {
        ObjectMapper json = new ObjectMapper();
        StringWriter out = new StringWriter();
        try {
            for (TextExample e : data.examples()) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("text", e.text());
                row.put("label", e.label());
                out.write(json.writeValueAsString(row));
                out.write('\n');
            }
            AtomicFiles.write(file, out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new GraftException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Summarises the runs of each strategy across seeds.
     *
     * @param strategies in the order to report
     * @param runs every run
     * @return one summary per strategy, with the Pareto front marked
     */
    public static List<StrategySummary> summarise(List<String> strategies, List<ComparedRun> runs) {
        List<StrategySummary> raw = new ArrayList<>();
        for (String s : strategies) {
            List<ComparedRun> mine = runs.stream().filter(r -> r.strategy().equals(s)).toList();
            if (mine.isEmpty()) {
                continue;
            }
            double[] f1 = mine.stream().mapToDouble(r -> r.test().macroF1()).toArray();
            raw.add(new StrategySummary(s, mine.size(), Statistics.mean(f1), Statistics.interval95(f1),
                    Statistics.mean(mine.stream().mapToDouble(r -> r.test().accuracy()).toArray()),
                    Statistics.mean(mine.stream().mapToDouble(r -> r.validation().macroF1()).toArray()),
                    Statistics.median(mine.stream().mapToDouble(ComparedRun::seconds).toArray()),
                    mine.stream().mapToLong(ComparedRun::peakBytes).max().orElse(-1),
                    mine.get(0).trainableParameters(),
                    Statistics.mean(mine.stream().mapToDouble(ComparedRun::trainingFlops).toArray()), false));
        }
        List<StrategySummary> out = new ArrayList<>();
        for (StrategySummary a : raw) {
            boolean dominated = raw.stream().anyMatch(b -> b != a && dominates(b, a));
            out.add(new StrategySummary(a.strategy(), a.runs(), a.testMacroF1(), a.testMacroF1Interval(), a.testAccuracy(),
                    a.validationMacroF1(), a.seconds(), a.peakBytes(), a.trainableParameters(), a.trainingFlops(), !dominated));
        }
        return out;
    }

    /** Whether {@code b} is at least as good as {@code a} in accuracy, time and memory, and better in one. */
    static boolean dominates(StrategySummary b, StrategySummary a) {
        boolean noWorse = b.testMacroF1() >= a.testMacroF1() && b.seconds() <= a.seconds() && memory(b) <= memory(a);
        boolean better = b.testMacroF1() > a.testMacroF1() || b.seconds() < a.seconds() || memory(b) < memory(a);
        return noWorse && better;
    }

    private static long memory(StrategySummary s) {
        return s.peakBytes() < 0 ? Long.MAX_VALUE : s.peakBytes();
    }
}
