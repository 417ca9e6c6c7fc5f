package dev.graft.backbone.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.graft.GraftException;
import dev.graft.backbone.text.TextTokenizer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * ONNX Runtime's environment and sessions, created on a thread with a large stack. Creating the
 * environment recursed about 11,900 native frames deep in a core dump of a crash (a server fitting
 * on a worker thread): more than a Java thread's stack holds, and the overflow killed the JVM
 * without a report. The main thread's 8 MB stack happened to be enough.
 */
public final class OnnxRuntime {

    private static final long STACK_BYTES = 256L << 20;

    private static OrtEnvironment environment;

    private OnnxRuntime() {}

    /** {@return the process's ONNX Runtime environment, created on first use} */
    public static synchronized OrtEnvironment environment() {
        if (environment == null) {
            try {
                environment = onLargeStack(() -> OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR));
            } catch (OrtException e) {
                throw new GraftException("ONNX Runtime cannot start: " + e.getMessage(), e);
            }
        }
        return environment;
    }

    /**
     * Builds an ONNX Runtime session for a model held in memory.
     *
     * @param model an ONNX model
     * @param options the session's options
     * @return a session for it
     * @throws OrtException when ONNX Runtime refuses the model
     */
    public static OrtSession session(byte[] model, OrtSession.SessionOptions options) throws OrtException {
        return onLargeStack(() -> environment().createSession(model, options));
    }

    /**
     * As {@link #session(byte[], OrtSession.SessionOptions)}, for a model file.
     *
     * @param path the ONNX model file
     * @param options the session's options
     * @return a session for it
     * @throws OrtException when ONNX Runtime refuses the model
     */
    public static OrtSession session(String path, OrtSession.SessionOptions options) throws OrtException {
        return onLargeStack(() -> environment().createSession(path, options));
    }

    /**
     * Runs a model with Graft's inputs ({@code input_ids} and {@code attention_mask}, int64).
     *
     * @param session a session of a model taking those inputs
     * @param batch the tokenized texts, padded to one length
     * @param output the output to compute, one row per text of the batch
     * @return that output
     * @throws OrtException when ONNX Runtime fails
     */
    public static float[][] run(OrtSession session, TextTokenizer.Batch batch, String output) throws OrtException {
        long[] shape = {batch.size(), batch.length()};
        OrtEnvironment env = environment();
        try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.ids()), shape);
                OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.mask()), shape);
                OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", mask), Set.of(output))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    private interface OrtCall<T> {
        T call() throws OrtException;
    }

    private static <T> T onLargeStack(OrtCall<T> call) throws OrtException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                result.set(call.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "graft-onnxruntime", STACK_BYTES);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GraftException("interrupted while ONNX Runtime was starting", e);
        }
        Throwable t = failure.get();
        if (t instanceof OrtException e) {
            throw e;
        } else if (t instanceof RuntimeException e) {
            throw e;
        } else if (t instanceof Error e) {
            throw e;
        }
        return result.get();
    }
}
