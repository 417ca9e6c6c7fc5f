package dev.graft.train;

import java.nio.file.Path;
import java.util.List;

/** Reads the command line a checkpoint was made with, so that {@code graft fit --resume DIR} needs nothing else. */
public final class ResumeCommand {

    private ResumeCommand() {}

    /**
     * @param checkpointDir a directory written by a fine-tuning run
     * @return the original {@code graft fit} arguments
     */
    public static List<String> of(Path checkpointDir) {
        return Checkpoints.command(checkpointDir);
    }
}
