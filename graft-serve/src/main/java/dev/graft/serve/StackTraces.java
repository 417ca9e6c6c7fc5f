package dev.graft.serve;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Formats a failure for the server log: its one-line description, then its stack. */
final class StackTraces {

    private StackTraces() {}

    static String of(Throwable t) {
        StringWriter text = new StringWriter();
        t.printStackTrace(new PrintWriter(text));
        return text.toString().stripTrailing();
    }
}
