package dev.graft;

import dev.graft.adapt.Strategy;
import dev.graft.advise.Advice;
import dev.graft.advise.Advisor;
import dev.graft.advise.PeakMemory;
import dev.graft.bundle.Bundle;
import dev.graft.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --strategy auto}: start simple, measure, fine-tune when accuracy stalls.
 *
 * <p>The advisor measures the data first. Step 1 is feature extraction; it is kept when it meets
 * the target or the advisor says the frozen features suffice. Step 2 is two-stage partial
 * fine-tuning (top two groups, backbone learning rate 10× lower). Step 3 unfreezes everything
 * (the advisor's {@code full} or {@code two-stage}) when step 2 still improved and the data is
 * large. It stops at a plateau or at the wall-clock budget; the step with the best validation
 * macro-F1 becomes the bundle. The request's epochs, patience and batch size are for the steps
 * that fine-tune; the feature-extraction step chooses its own. Its precision is for the
 * feature-extraction step; the steps that fine-tune train in fp32.
 */
public final class AutoFit {

    /**
     * When an {@code auto} run stops trying deeper strategies.
     *
     * @param target validation macro-F1 at which to stop, or NaN for none
     * @param budgetSeconds wall-clock budget for the whole run, or infinity
     */
    public record Options(double target, double budgetSeconds) {
        /** {@return no target, no budget} */
        public static Options defaults() {
            return new Options(Double.NaN, Double.POSITIVE_INFINITY);
        }
    }

    /**
     * One strategy tried.
     *
     * @param strategy its command-line name
     * @param validationMacroF1 on the validation set
     * @param testMacroF1 on the test set, or NaN without one
     * @param seconds wall time of the step
     * @param peakBytes peak resident memory during the step, or -1
     * @param trainableParameters parameters it trained
     */
    public record Step(String strategy, double validationMacroF1, double testMacroF1, double seconds, long peakBytes,
            long trainableParameters) {}

    /**
     * What an {@code auto} run produced.
     *
     * @param best the result of the step that became the bundle
     * @param bestStrategy its strategy
     * @param steps every step, in order
     * @param stopReason why no further step ran
     * @param advice what the advisor measured
     * @param summary the JSON summary written next to the bundle
     */
    public record Result(FitResult best, String bestStrategy, List<Step> steps, String stopReason, Advice advice,
            Path summary) {}

    private AutoFit() {}

    /**
     * Reads the request's data, then tries strategies from simple to deep as the class comment describes.
     *
     * @param request the data and options; its strategy is ignored
     * @param options target and budget
     * @param listener hears progress
     * @return the best step, and why the run stopped
     * @throws GraftException if the data cannot be read or an option is out of range
     */
    public static Result run(FitRequest request, Options options, FitListener listener) {
        return run(FitData.load(request, listener), request, options, listener);
    }

    /**
     * Tries strategies from simple to deep on data already loaded, as the class comment describes.
     *
     * @param data the data, loaded and split once for the advisor and every step
     * @param request the options; its strategy is ignored and its data files are not read
     * @param options target and budget
     * @param listener hears progress
     * @return the best step, and why the run stopped
     * @throws GraftException if the work directory cannot be created or an option is out of range
     */
    public static Result run(FitData data, FitRequest request, Options options, FitListener listener) {
        long start = System.nanoTime();
        Path out = request.out().toAbsolutePath();
        Path work = out.resolveSibling(out.getFileName() + ".auto");
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new GraftException("cannot create " + work + ": " + e.getMessage(), e);
        }
        listener.info("auto: measuring the data first (the advisor: a short fine-tune on a subsample, a few timed steps"
                + " of the deeper strategies when it recommends fine-tuning, for the budget and memory estimates)");
        Advice advice = Advisor.advise(data, request, Advisor.Options.forAuto(), listener);
        listener.info("auto: advisor recommends " + advice.recommendation() + " (" + String.join("; ", advice.reasons()) + ")");

        List<Step> steps = new ArrayList<>();
        List<FitResult> results = new ArrayList<>();
        List<Path> candidates = new ArrayList<>();
        AutoLadder.Decision decision;
        while ((decision = AutoLadder.next(steps, advice, options, (System.nanoTime() - start) / 1e9)).next() != null) {
            String next = decision.next();
            listener.info(String.format(Locale.ROOT, "auto: step %d, %s", steps.size() + 1, next));
            FitRequest step = stepRequest(request, next, work);
            PeakMemory.reset();
            long t0 = System.nanoTime();
            FitResult result = Graft.fit(data, step, listener);
            Step done = new Step(next, result.validation().macroF1(), result.test() == null ? Double.NaN : result.test().macroF1(),
                    (System.nanoTime() - t0) / 1e9, PeakMemory.peakBytes(), result.trainableParameters());
            steps.add(done);
            results.add(result);
            candidates.add(step.out());
            listener.info(String.format(Locale.ROOT, "auto: %s validation macro-F1 %.4f (%.0f s)", next,
                    done.validationMacroF1(), done.seconds()));
        }
        String stop = decision.stopReason();

        int best = 0;
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).validationMacroF1() > steps.get(best).validationMacroF1()) {
                best = i;
            }
        }
        Bundle.move(candidates.get(best), out);
        for (int i = 0; i < candidates.size(); i++) {
            if (i != best) {
                deleteQuietly(candidates.get(i));
            }
        }
        Path summary = work.resolve("summary.json");
        writeSummary(summary, steps, steps.get(best).strategy(), stop, advice);
        listener.info("auto: stopped — " + stop + "; kept " + steps.get(best).strategy());
        FitResult kept = results.get(best);
        FitResult moved = new FitResult(out, kept.validation(), kept.test(), kept.bestEpoch(), kept.history(),
                kept.featuresComputed(), kept.featureSeconds(), kept.trainSeconds(), kept.trainableParameters(),
                kept.totalParameters(), kept.validationSource());
        return new Result(moved, steps.get(best).strategy(), steps, stop, advice, summary);
    }

    /**
     * @param request the auto run's request
     * @param strategy the step's strategy
     * @param work the auto run's work directory
     * @return the step's request: that strategy, writing its candidate bundle and log into {@code work};
     *     its checkpoints store it, so that a resume finishes the step
     */
    static FitRequest stepRequest(FitRequest request, String strategy, Path work) {
        String name = strategy.replace(':', '-');
        boolean file = request.out().getFileName().toString().endsWith(".graft");
        Strategy parsed = Strategy.parse(strategy);
        FitRequest r = request;
        if (parsed instanceof Strategy.FeatureExtraction) {
            r = r.withTraining(r.training().toBuilder().epochs(0).patience(0).batchSize(0).build());
        }
        return r.withDerivedStrategy(parsed)
                .withOut(work.resolve(name + (file ? ".graft" : "")))
                .withRun(null, work.resolve(name + ".log.jsonl"));
    }

    private static void writeSummary(Path file, List<Step> steps, String kept, String stop, Advice advice) {
        Map<String, Object> json = new LinkedHashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Step s : steps) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("strategy", s.strategy());
            row.put("validation_macro_f1", s.validationMacroF1());
            row.put("test_macro_f1", Double.isNaN(s.testMacroF1()) ? null : s.testMacroF1());
            row.put("seconds", Math.round(s.seconds() * 10) / 10.0);
            row.put("peak_bytes", s.peakBytes());
            row.put("trainable_parameters", s.trainableParameters());
            rows.add(row);
        }
        json.put("steps", rows);
        json.put("kept", kept);
        json.put("stop_reason", stop);
        json.put("advice", advice.toJsonMap());
        try {
            byte[] bytes = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(json).getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new GraftException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            dev.graft.io.Directories.deleteRecursively(path);
        } catch (IOException e) {
            // a leftover candidate wastes space but loses nothing
        }
    }
}
