package dev.graft.backbone;

/** Engine settings that must hold before DJL starts: nothing is ever downloaded at run time. */
final class Engines {

    private Engines() {}

    static void configureOffline() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("DJL_OFFLINE", "true");
        System.clearProperty("PYTORCH_VERSION");
    }
}
