package dev.graft.data;

import dev.graft.GraftException;
import dev.graft.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the text and label columns among a header's names (or a JSON object's fields): an exact
 * match first, else a unique case-insensitive match ignoring surrounding spaces.
 */
final class Columns {

    private static final List<String> TEXT_NAMES = List.of("text", "body", "content", "message", "sentence",
            "review", "document", "comment", "tweet", "description", "question", "abstract", "title", "input",
            "prompt", "subject");
    private static final List<String> LABEL_NAMES = List.of("label", "labels", "category", "class", "target",
            "sentiment", "intent", "topic", "tag", "y", "output", "rating", "stars");

    /** Which of the two wanted columns is being looked up: decides the parameter and the hint. */
    enum Role {
        TEXT("text", Parameter.TEXT_COLUMN, TEXT_NAMES),
        LABEL("label", Parameter.LABEL_COLUMN, LABEL_NAMES);

        final String word;
        final Parameter parameter;
        final List<String> likelyNames;

        Role(String word, Parameter parameter, List<String> likelyNames) {
            this.word = word;
            this.parameter = parameter;
            this.likelyNames = likelyNames;
        }
    }

    private Columns() {}

    /**
     * @param source the file, for messages
     * @param names the header names in order
     * @param wanted the requested column name
     * @param other the other requested column (not suggested as a fix)
     * @param role text or label
     * @param kind "column" or "field", for messages
     * @param delimiterHint the separator the format expects, or 0 for JSON
     * @return the index of the column in {@code names}
     */
    static int find(String source, List<String> names, String wanted, String other, Role role, String kind,
            char delimiterHint) {
        List<Integer> exact = new ArrayList<>();
        List<Integer> loose = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.equals(wanted)) {
                exact.add(i);
            } else if (name.strip().equalsIgnoreCase(wanted.strip())) {
                loose.add(i);
            }
        }
        if (exact.size() == 1) {
            return exact.get(0);
        }
        if (exact.size() > 1) {
            throw new GraftException(source + ": " + kind + " " + Messages.quote(wanted) + " appears "
                    + exact.size() + " times in the header (positions " + positions(exact)
                    + "); rename the duplicates");
        }
        if (loose.size() == 1) {
            return loose.get(0);
        }
        if (loose.size() > 1) {
            throw new GraftException(role.parameter, Messages.escape(wanted), "matches " + loose.size() + " " + kind
                    + "s in " + source + " that differ only in case or spaces (positions " + positions(loose)
                    + "); rename them or give the exact name");
        }
        if (role == Role.TEXT && wanted.equals("text")) {
            int image = names.indexOf("image");
            if (image >= 0) {
                return image;
            }
        }
        String separator = separatorHint(names, delimiterHint);
        String fix = separator.isEmpty() ? "; use " + suggestion(names, other, role) : separator;
        throw new GraftException(role.parameter, Messages.escape(wanted), "is not a " + kind + " in " + source + " ("
                + kind + "s: " + Messages.list(names) + ")" + fix);
    }

    private static String positions(List<Integer> indices) {
        StringBuilder out = new StringBuilder();
        for (int i : indices) {
            out.append(out.length() == 0 ? "" : ", ").append(i + 1);
        }
        return out.toString();
    }

    private static String suggestion(List<String> names, String other, Role role) {
        for (String likely : role.likelyNames) {
            for (String name : names) {
                if (name.strip().equalsIgnoreCase(likely) && !name.strip().equalsIgnoreCase(other.strip())) {
                    return name.equals(name.strip()) && !name.contains(" ") ? name : "'" + name.strip() + "'";
                }
            }
        }
        return "one of them";
    }

    private static String separatorHint(List<String> names, char delimiter) {
        if (delimiter == 0 || names.size() != 1) {
            return "";
        }
        String only = names.get(0);
        for (char c : new char[] {';', '\t', ',', '|'}) {
            if (c != delimiter && only.indexOf(c) >= 0) {
                String sep = c == '\t' ? "tabs" : "'" + c + "'";
                String expected = delimiter == '\t' ? "tab-separated" : "comma-separated";
                return "; the header looks separated by " + sep + ", but this file type is read as " + expected
                        + " — save it with " + (delimiter == '\t' ? "tabs" : "commas")
                        + (c == '\t' ? " or rename it to .tsv" : "");
            }
        }
        return "";
    }
}
