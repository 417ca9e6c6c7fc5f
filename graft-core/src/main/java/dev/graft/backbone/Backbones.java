package dev.graft.backbone;

import dev.graft.GraftException;
import java.util.List;

/** The registry of backbones Graft can load. */
public final class Backbones {

    /** The default text backbone. */
    public static final String DEFAULT = "minilm";

    private Backbones() {}

    /** @return ids of the backbones available */
    public static List<String> ids() {
        return List.of(MiniLmBackbone.ID);
    }

    /**
     * @param id a backbone id, see {@link #ids()}
     * @param maxLength truncation length in tokens (text backbones)
     * @return the loaded backbone; close it when done
     */
    public static Backbone load(String id, int maxLength) {
        Engines.configureOffline();
        if (MiniLmBackbone.ID.equals(id)) {
            return MiniLmBackbone.load(maxLength);
        }
        throw new GraftException("unknown backbone '" + id + "'; available: " + String.join(", ", ids()));
    }
}
