package dev.graft;

/**
 * A problem the user can fix: bad input, a missing file, an incompatible model.
 *
 * <p>The message is one line that says what is wrong, which value or file, and what to do. The
 * command line prints only the message and exits with status 2. Anything else thrown by Graft is
 * a bug (exit status 1).
 */
public class GraftException extends RuntimeException {

    /** @param message one line: what is wrong, where, and how to fix it */
    public GraftException(String message) {
        super(message);
    }

    /**
     * @param message one line: what is wrong, where, and how to fix it
     * @param cause the underlying exception, shown only under {@code --verbose}
     */
    public GraftException(String message, Throwable cause) {
        super(message, cause);
    }
}
