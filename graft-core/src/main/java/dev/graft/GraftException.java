package dev.graft;

import java.util.function.Function;

/**
 * A problem the user can fix: bad input, a missing file, an incompatible model.
 *
 * <p>The message is one line that says what is wrong, which value or file, and what to do. The
 * command line prints only the message and exits with status 2. Anything else thrown by Graft is
 * a bug (exit status 1).
 *
 * <p>A problem with one {@link Parameter} of a request keeps the parameter, its value and the
 * problem apart; its message has the shape {@code <parameter> <value> <problem>}, e.g. {@code LoRA
 * rank 0 is out of range; use 1 to 1024 (8 is typical)}, with the parameter's domain term.
 * {@link #messageNaming} renders the same message with a front end's own name for the parameter,
 * e.g. {@code --lora-r 0 is out of range; ...}.
 */
public class GraftException extends RuntimeException {

    /** The parameter the problem is with, or null. */
    private final Parameter parameter;
    /** The parameter's value as given, or null. */
    private final Object value;
    /** What is wrong and how to fix it, without the parameter and its value. */
    private final String problem;

    /**
     * A problem not about one parameter.
     *
     * @param message one line: what is wrong, where, and how to fix it
     */
    public GraftException(String message) {
        super(message);
        this.parameter = null;
        this.value = null;
        this.problem = message;
    }

    /**
     * A problem not about one parameter, with its underlying exception.
     *
     * @param message one line: what is wrong, where, and how to fix it
     * @param cause the underlying exception, shown only under {@code --verbose}
     */
    public GraftException(String message, Throwable cause) {
        super(message, cause);
        this.parameter = null;
        this.value = null;
        this.problem = message;
    }

    /**
     * A problem with one parameter of a request.
     *
     * @param parameter the parameter whose value is wrong (or missing)
     * @param value the value given, or null when the message needs none
     * @param problem what is wrong with it and how to fix it, as the rest of a sentence whose subject
     *     is the parameter and its value, e.g. {@code is out of range; use 1 to 1024 (8 is typical)}
     */
    public GraftException(Parameter parameter, Object value, String problem) {
        this(parameter, value, problem, null);
    }

    /**
     * A problem with one parameter of a request, with its underlying exception.
     *
     * @param parameter the parameter whose value is wrong (or missing)
     * @param value the value given, or null when the message needs none
     * @param problem what is wrong with it and how to fix it, as the rest of a sentence whose subject
     *     is the parameter and its value
     * @param cause the underlying exception, or null
     */
    public GraftException(Parameter parameter, Object value, String problem, Throwable cause) {
        super(render(parameter.displayName(), value, problem), cause);
        this.parameter = parameter;
        this.value = value;
        this.problem = problem;
    }

    /** {@return the parameter the problem is with, or null when the problem is not about one parameter} */
    public Parameter parameter() {
        return parameter;
    }

    /** {@return the parameter's value as given, or null (always null without a parameter)} */
    public Object value() {
        return value;
    }

    /** {@return what is wrong and how to fix it: the message without the parameter and its value, or the whole message} */
    public String problem() {
        return problem;
    }

    /**
     * The message with the caller's own name for the parameter, e.g. a command-line flag.
     *
     * @param names the caller's name of each parameter; a null result keeps the domain term
     * @return the message, naming the parameter as {@code names} does; {@link #getMessage()} when the
     *     problem is not about one parameter
     */
    public String messageNaming(Function<Parameter, String> names) {
        if (parameter == null) {
            return getMessage();
        }
        String name = names.apply(parameter);
        return render(name == null ? parameter.displayName() : name, value, problem);
    }

    private static String render(String name, Object value, String problem) {
        return name + (value == null ? "" : " " + value) + " " + problem;
    }
}
