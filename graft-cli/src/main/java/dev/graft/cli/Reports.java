package dev.graft.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.graft.FitResult;
import dev.graft.GraftException;
import dev.graft.io.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** How results look on the terminal and in JSON files. */
final class Reports {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {}

    static void printFit(PrintWriter out, FitResult r, double seconds) {
        out.println();
        out.println(switch (r.validationSource()) {
            case "out-of-fold" -> "validation: out-of-fold predictions (5-fold cross-validation over every training row;"
                    + " no row is scored by a head that saw it)";
            case "validation file" -> "validation (the --validation file)";
            default -> "validation (split from --data)";
        });
        out.println(r.validation().toTable());
        if (r.test() == null) {
            out.println();
            out.println("test: none (give --test FILE, or --holdout 0.1 to hold out 10 % of --data)");
        } else {
            out.println();
            out.println("test");
            out.println(r.test().toTable());
        }
        out.println();
        out.printf("parameters: trainable %,d / %,d (%.2f %%)%n", r.trainableParameters(), r.totalParameters(),
                100.0 * r.trainableParameters() / r.totalParameters());
        out.printf("saved %s (%.1f s in all: features %.1f s, training %.1f s)%n", r.bundle(), seconds, r.featureSeconds(),
                r.trainSeconds());
        out.flush();
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void writeJson(Path file, Object value) {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new GraftException("cannot write " + file + ": " + e.getMessage() + "; check the path and permissions", e);
        }
    }
}
