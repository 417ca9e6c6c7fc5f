package dev.graft.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpamAssassinTest {

    @TempDir
    Path dir;

    @Test
    void readsOnlyDataEntriesOfKnownGroupsSortedAndChecksumVerified() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/package.json", "{}".getBytes(StandardCharsets.UTF_8));
        entries.put("package/data/spam-1/00002.x.json", entry("00002", "spam-1", "Subject: b\n\nB", true));
        entries.put("package/data/easy-ham-1/00001.x.json", entry("00001", "easy-ham-1", "Subject: a\n\nA", true));
        entries.put("package/data/spam-1/00001.x.json", entry("00001", "spam-1", "Subject: \uFFFD\n\n", false));
        entries.put("package/data/spam-1/00001.x.txt", "raw".getBytes(StandardCharsets.UTF_8));
        entries.put("package/data/file_list.json", "[]".getBytes(StandardCharsets.UTF_8));
        entries.put("package/data/other-group/00001.x.json", entry("00001", "other-group", "x", true));
        Path tgz = tgz(entries);

        List<String> log = new ArrayList<>();
        List<SpamAssassin.Email> emails = SpamAssassin.readEmails(tgz, log::add);

        assertThat(emails).extracting(SpamAssassin.Email::key)
                .containsExactly("easy-ham-1/00001", "spam-1/00001", "spam-1/00002");
        assertThat(log).singleElement().asString().contains("verified for 2", "not checkable for 1");
        assertThatThrownBy(() -> SpamAssassin.checkCounts(emails, tgz))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("expected 6046 messages");
    }

    @Test
    void aChecksumMismatchIsAnError() throws IOException {
        byte[] bad = new ObjectMapper().writeValueAsBytes(Map.of("id", "00003", "group", "spam-2",
                "checksum", Map.of("type", "MD5", "value", "00000000000000000000000000000000"), "text", "hello"));
        Path tgz = tgz(Map.of("package/data/spam-2/00003.x.json", bad));
        assertThatThrownBy(() -> SpamAssassin.readEmails(tgz, s -> {}))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("do not match their MD5")
                .hasMessageContaining("spam-2/00003");
    }

    @Test
    void md5IsCheckedOnlyWhereTheTextSurvivedIntact() {
        String md5OfHello = "5d41402abc4b2a76b9719d911017c592";
        assertThat(SpamAssassin.checkMd5("hello", "MD5", md5OfHello)).isEqualTo(SpamAssassin.Md5Check.VERIFIED);
        assertThat(SpamAssassin.checkMd5("hell\uFFFD", "MD5", md5OfHello)).isEqualTo(SpamAssassin.Md5Check.UNCHECKABLE);
        assertThat(SpamAssassin.checkMd5("hullo", "MD5", md5OfHello)).isEqualTo(SpamAssassin.Md5Check.MISMATCH);
    }

    @Test
    void zipSlipEntriesAreRefused() throws IOException {
        Path tgz = tgz(Map.of("package/data/spam-1/../../../../evil.json", entry("1", "spam-1", "x", true)));
        assertThatThrownBy(() -> SpamAssassin.readEmails(tgz, s -> {}))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("unsafe entry path")
                .hasMessageContaining("evil.json");
    }

    private static byte[] entry(String id, String group, String text, boolean rightChecksum) throws IOException {
        String md5 = rightChecksum ? md5(text) : "ffffffffffffffffffffffffffffffff";
        return new ObjectMapper().writeValueAsBytes(
                Map.of("id", id, "group", group, "checksum", Map.of("type", "MD5", "value", md5), "text", text));
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private Path tgz(Map<String, byte[]> entries) throws IOException {
        return TestTarballs.tgz(dir, entries);
    }
}
