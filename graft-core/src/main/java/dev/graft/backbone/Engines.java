package dev.graft.backbone;

/** Engine settings that must hold before DJL starts: nothing is ever downloaded at run time. */
public final class Engines {

    private Engines() {}

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Sets DJL offline and its thread pools; call before the engine starts. */
    public static void configureOffline() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("DJL_OFFLINE", "true");
        System.clearProperty("PYTORCH_VERSION");
        // Measured: PyTorch's default inter-op pool competes with the intra-op threads on small
        // machines; one inter-op thread and one intra-op thread per core ran MiniLM 1.16x faster.
        String cores = Integer.toString(Runtime.getRuntime().availableProcessors());
        setIfAbsent("ai.djl.pytorch.num_threads", cores);
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }

    /**
     * Runs work with one PyTorch intra-op thread on the calling thread (OpenMP's setting is per
     * thread), then puts the thread's setting back: for work on tensors too small to share.
     * @param <T> what the work returns
     * @param work the work to run on the calling thread
     * @return what {@code work} returned
     */
    public static <T> T onOneThread(java.util.function.Supplier<T> work) {
        configureOffline();
        ai.djl.engine.Engine.getEngine("PyTorch"); // loads the native library JniUtils calls into
        int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        try {
            return work.get();
        } finally {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        }
    }

    /**
     * Turns PyTorch's gradient recording off on the calling thread. Grad mode is per thread and on
     * by default in a new thread; DJL turns it off only on the thread that starts the engine. Graft
     * records gradients only inside a {@code GradientCollector}, so any thread that runs the engine
     * (a server's batcher, a background fine-tune) calls this first: with it on, forward passes
     * build autograd graphs, and in-place updates of trainable weights fail.
     */
    public static void noGradientsOnThisThread() {
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    }

    /**
     * Sets a weight's gradient to zero in place, NaN and infinity included. Never assign a gradient
     * with {@code getGradient().set(float[])}: PyTorch would then keep the gradient in a Java buffer
     * that only the closed wrapper referenced, the garbage collector frees it, and the next backward
     * pass accumulates into freed memory (the native crashes of issue 12).
     * @param weight a PyTorch parameter array whose gradient is zeroed
     */
    public static void zeroGradient(ai.djl.ndarray.NDArray weight) {
        ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) weight);
    }
}
