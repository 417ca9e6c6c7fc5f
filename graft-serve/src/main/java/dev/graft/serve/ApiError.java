package dev.graft.serve;

/**
 * A request the server refuses, with the HTTP status and a machine-readable code; the client
 * receives {@code {"error": {"code": ..., "message": ...}}}, never a stack trace.
 */
public final class ApiError extends RuntimeException {

    /** The HTTP status the response carries, e.g. 400 or 503. */
    private final int status;
    /** The stable machine-readable error code, e.g. {@code bad_json}. */
    private final String code;

    /**
     * Makes an error response.
     *
     * @param status HTTP status, e.g. 400
     * @param code stable identifier, e.g. {@code bad_json}
     * @param message what is wrong and how to fix it
     */
    public ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** {@return the HTTP status} */
    public int status() {
        return status;
    }

    /** {@return the machine-readable code} */
    public String code() {
        return code;
    }
}
