package dev.graft.datasets;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.util.CharsetUtil;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Turns a raw email (headers, then a possibly multipart body) into what a text classifier should
 * read: {@code "Subject: <subject>\n\n<body>"}.
 *
 * <p>Headers other than the subject are dropped. The MIME tree is walked (Apache mime4j); of the
 * inline text parts, {@code text/plain} is preferred, else {@code text/html} with scripts and
 * styles removed and entities decoded (jsoup). Quoted-printable and base64 bodies are decoded and
 * their declared charset honoured; undeclared or unknown charsets fall back to UTF-8 if the bytes
 * are valid UTF-8, else windows-1252 (the superset of ISO-8859-1 that mail clients really write).
 * Whitespace runs become one space, and the result is capped at {@link #MAX_CHARS} characters.
 *
 * <p>The input is a {@code String}, not bytes: 7bit/8bit parts are taken as the characters they
 * already are, and only the bytes inside quoted-printable and base64 parts are decoded with a
 * charset.
 */
final class EmailText {

    /** Longest text returned, in UTF-16 chars. */
    static final int MAX_CHARS = 20_000;

    /** Most bytes read from one decoded part; more is never needed for {@link #MAX_CHARS}. */
    private static final int MAX_PART_BYTES = 1 << 20;

    private static final Charset FALLBACK_8BIT = Charset.forName("windows-1252");

    private static final Pattern LOOKS_LIKE_HTML =
            Pattern.compile("(?i)<\\s*(html|body|!doctype\\s+html|table|div|font|p|br)\\b[^>]*>");
    private static final Pattern HTML_TAG = Pattern.compile("<\\s*/?\\s*[a-zA-Z!][^>]*>");
    private static final Pattern META_CHARSET =
            Pattern.compile("(?i)<meta\\b[^>]*?charset\\s*=\\s*[\"']?\\s*([A-Za-z0-9._:-]+)");
    private static final Pattern SUBJECT_LINE = Pattern.compile("(?im)^subject:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)");

    private EmailText() {}

    /**
     * @param raw a whole email as text, optionally preceded by an mbox {@code From } line
     * @return the subject line, a blank line, and the decoded body text; never null
     */
    static String toText(String raw) {
        String message = stripMboxFromLine(raw);
        Parts parts = new Parts();
        try {
            MimeStreamParser parser = new MimeStreamParser(MimeConfig.PERMISSIVE);
            parser.setContentDecoding(true);
            parser.setContentHandler(parts);
            parser.parse(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
        } catch (MimeException | IOException | RuntimeException e) {
            // A message too broken for the MIME parser: fall back to "headers, blank line, body".
            return compose(fallbackSubject(message), collapse(fallbackBody(message)));
        }
        return compose(parts.subject == null ? "" : parts.subject, parts.bodyText());
    }

    private static String compose(String subject, String body) {
        String text = "Subject:" + (subject.isEmpty() ? "" : " " + subject) + "\n\n" + body;
        return cap(text, MAX_CHARS);
    }

    static String cap(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end).stripTrailing();
    }

    static String stripMboxFromLine(String raw) {
        if (raw.startsWith("From ")) {
            int nl = raw.indexOf('\n');
            return nl < 0 ? "" : raw.substring(nl + 1);
        }
        return raw;
    }

    /** Decodes a header value: unfolds it, then decodes RFC 2047 encoded words. */
    static String decodeHeader(String value) {
        String unfolded = value.replaceAll("\\r?\\n(?=[ \\t])", "");
        String decoded;
        try {
            decoded = DecoderUtil.decodeEncodedWords(unfolded, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            decoded = unfolded;
        }
        return collapse(decoded);
    }

    /** Strips tags, scripts, styles and comments from HTML and decodes its entities. */
    static String htmlToText(String html) {
        Document doc = Jsoup.parse(html);
        doc.select("head, script, style, noscript, template, title").remove();
        return collapse(doc.text());
    }

    /**
     * Decodes the bytes of a quoted-printable or base64 part.
     *
     * @param declared the part's charset parameter, or null; when absent, an HTML {@code <meta
     *     charset>} near the start of the part is used
     */
    static String decode(byte[] bytes, String declared) {
        Charset charset = lookupCharset(declared);
        if (charset == null || charset.equals(StandardCharsets.US_ASCII)) {
            charset = lookupCharset(metaCharset(bytes));
        }
        if (charset == null || charset.equals(StandardCharsets.US_ASCII)
                || charset.equals(StandardCharsets.ISO_8859_1)) {
            // Undeclared, unknown, or a label that mail clients use for windows-1252 anyway.
            String utf8 = strictUtf8(bytes);
            return utf8 != null ? utf8 : new String(bytes, FALLBACK_8BIT);
        }
        return new String(bytes, charset);
    }

    /** The charset named by an HTML {@code <meta>} tag near the start, or null. */
    static String metaCharset(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1);
        Matcher m = META_CHARSET.matcher(head);
        return m.find() ? m.group(1) : null;
    }

    private static Charset lookupCharset(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            return CharsetUtil.lookup(name.trim());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Collapses every run of whitespace, control and invisible formatting characters to one
     * space, drops U+FFFD (bytes the source could not decode), and trims.
     */
    static String collapse(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean pendingSpace = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)) {
                pendingSpace = true;
            } else if (cp == 0xFFFD || Character.getType(cp) == Character.FORMAT) {
                // dropped: undecodable byte, or zero-width characters that split words
            } else {
                if (pendingSpace && out.length() > 0) {
                    out.append(' ');
                }
                pendingSpace = false;
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    static boolean looksLikeHtml(String text) {
        if (!LOOKS_LIKE_HTML.matcher(text).find()) {
            return false;
        }
        Matcher tags = HTML_TAG.matcher(text);
        int count = 0;
        while (tags.find() && count < 3) {
            count++;
        }
        return count >= 3;
    }

    private static String fallbackSubject(String message) {
        int end = headerEnd(message);
        Matcher m = SUBJECT_LINE.matcher(message.substring(0, end));
        return m.find() ? decodeHeader(m.group(1)) : "";
    }

    private static String fallbackBody(String message) {
        int end = headerEnd(message);
        String body = message.substring(end);
        return looksLikeHtml(body) ? htmlToText(body) : body;
    }

    private static int headerEnd(String message) {
        Matcher m = Pattern.compile("\\r?\\n\\r?\\n").matcher(message);
        return m.find() ? m.end() : message.length();
    }

    /** Collects the subject and the text parts while mime4j walks the message. */
    private static final class Parts extends AbstractContentHandler {
        private final Deque<Boolean> entities = new ArrayDeque<>(); // true = message, false = body part
        private final List<String> plain = new ArrayList<>();
        private final List<String> html = new ArrayList<>();
        private final List<String> otherText = new ArrayList<>();
        private final List<String> attachedText = new ArrayList<>();
        private String subject;
        private boolean attachment;

        @Override
        public void startMessage() {
            entities.push(Boolean.TRUE);
        }

        @Override
        public void endMessage() {
            entities.poll();
        }

        @Override
        public void startBodyPart() {
            entities.push(Boolean.FALSE);
        }

        @Override
        public void endBodyPart() {
            entities.poll();
        }

        @Override
        public void startHeader() {
            attachment = false;
        }

        @Override
        public void field(Field field) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            if (name.equals("subject") && subject == null && entities.size() == 1) {
                subject = decodeHeader(fieldValue(field));
            } else if (name.equals("content-disposition")) {
                attachment = fieldValue(field).trim().toLowerCase(Locale.ROOT).startsWith("attachment");
            }
        }

        /** The field's value from its raw bytes, which are UTF-8 because the input was a String. */
        private static String fieldValue(Field field) {
            String raw = new String(field.getRaw().toByteArray(), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            return colon < 0 ? "" : raw.substring(colon + 1);
        }

        @Override
        public void body(BodyDescriptor bd, InputStream in) throws IOException {
            String mime = bd.getMimeType() == null ? "text/plain" : bd.getMimeType().toLowerCase(Locale.ROOT);
            if (!mime.startsWith("text/") || mime.equals("text/rfc822-headers")) {
                return;
            }
            byte[] bytes = in.readNBytes(MAX_PART_BYTES);
            String encoding = bd.getTransferEncoding() == null ? "" : bd.getTransferEncoding().toLowerCase(Locale.ROOT);
            String text = encoding.equals("quoted-printable") || encoding.equals("base64")
                    ? decode(bytes, bd.getCharset())
                    : new String(bytes, StandardCharsets.UTF_8);
            if (attachment) {
                attachedText.add(mime.equals("text/html") || looksLikeHtml(text) ? htmlToText(text) : collapse(text));
            } else if (mime.equals("text/html") || (mime.equals("text/plain") && looksLikeHtml(text))) {
                html.add(htmlToText(text));
            } else if (mime.equals("text/plain")) {
                plain.add(collapse(text));
            } else {
                otherText.add(looksLikeHtml(text) ? htmlToText(text) : collapse(text));
            }
        }

        String bodyText() {
            for (List<String> candidates : List.of(plain, html, otherText, attachedText)) {
                String joined = join(candidates);
                if (!joined.isEmpty()) {
                    return joined;
                }
            }
            return "";
        }

        private static String join(List<String> texts) {
            StringBuilder b = new StringBuilder();
            for (String t : texts) {
                if (!t.isEmpty()) {
                    if (b.length() > 0) {
                        b.append(' ');
                    }
                    b.append(t);
                    if (b.length() > MAX_CHARS) {
                        break;
                    }
                }
            }
            return b.toString();
        }
    }
}
