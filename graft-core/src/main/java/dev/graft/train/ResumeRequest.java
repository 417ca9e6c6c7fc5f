package dev.graft.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** Reads the request a checkpoint was made with, so that resuming needs only the checkpoint directory. */
public final class ResumeRequest {

    private ResumeRequest() {}

    /**
     * Reads the fit request a fine-tuning run stored in its checkpoint directory.
     *
     * @param checkpointDir a directory written by a fine-tuning run
     * @return the stored request (JSON), or a missing node when the run stored none
     */
    public static JsonNode of(Path checkpointDir) {
        return Checkpoints.request(checkpointDir);
    }
}
