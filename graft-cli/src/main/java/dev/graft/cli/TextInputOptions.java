package dev.graft.cli;

import dev.graft.data.TextLoadOptions;
import picocli.CommandLine.Option;

/** Column names and strictness shared by every command that reads labelled text. */
final class TextInputOptions {

    @Option(names = "--text-column", defaultValue = "text", description = "Column (or JSON field) holding the text. Default: ${DEFAULT-VALUE}.")
    String textColumn;

    @Option(names = "--label-column", defaultValue = "label", description = "Column (or JSON field) holding the label. Default: ${DEFAULT-VALUE}.")
    String labelColumn;

    @Option(names = "--strict", description = "Refuse blank texts instead of skipping them.")
    boolean strict;

    TextLoadOptions toLoadOptions() {
        return TextLoadOptions.defaults().withTextColumn(textColumn).withLabelColumn(labelColumn).withStrict(strict);
    }
}
