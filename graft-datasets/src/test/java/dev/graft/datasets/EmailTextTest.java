package dev.graft.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class EmailTextTest {

    @Test
    void plainEmailKeepsSubjectAndBodyAndDropsOtherHeaders() {
        String raw = """
                From someone@example.com  Thu Aug 22 13:17:22 2002
                Return-Path: <someone@example.com>
                Received: from localhost (localhost [127.0.0.1])
                \tby example.com (Postfix) with ESMTP id 136B943C32
                From: Someone <someone@example.com>
                Subject: Meeting
                 tomorrow
                Content-Type: text/plain; charset=us-ascii

                Hi all,

                the   meeting is at 10.
                """;
        assertThat(EmailText.toText(raw)).isEqualTo("Subject: Meeting tomorrow\n\nHi all, the meeting is at 10.");
    }

    @Test
    void quotedPrintableBodyIsDecodedWithItsCharset() {
        String raw = """
                Subject: =?iso-8859-1?Q?Caf=E9?= prices
                Content-Type: text/plain; charset="iso-8859-1"
                Content-Transfer-Encoding: quoted-printable

                Un caf=E9 co=FBte 2 =80, soft=
                 break and a=3Db.
                """;
        assertThat(EmailText.toText(raw)).isEqualTo("Subject: Café prices\n\nUn café coûte 2 €, soft break and a=b.");
    }

    @Test
    void base64BodyIsDecodedWithItsCharset() {
        String body = Base64.getMimeEncoder().encodeToString("Grüße aus Köln — schön!".getBytes(StandardCharsets.UTF_8));
        String raw = "Subject: =?UTF-8?B?" + Base64.getEncoder().encodeToString("Grüße".getBytes(StandardCharsets.UTF_8))
                + "?=\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + body + "\n";
        assertThat(EmailText.toText(raw)).isEqualTo("Subject: Grüße\n\nGrüße aus Köln — schön!");
    }

    @Test
    void multipartAlternativePrefersPlainText() {
        String raw = """
                Subject: Offer
                MIME-Version: 1.0
                Content-Type: multipart/alternative; boundary="BOUNDARY"

                This is a multi-part message in MIME format.

                --BOUNDARY
                Content-Type: text/plain; charset=us-ascii

                Plain version.
                --BOUNDARY
                Content-Type: text/html; charset=us-ascii

                <html><body><p>HTML version.</p></body></html>
                --BOUNDARY--
                epilogue text
                """;
        assertThat(EmailText.toText(raw)).isEqualTo("Subject: Offer\n\nPlain version.");
    }

    @Test
    void htmlOnlyMessageIsStrippedOfTagsScriptsAndStyles() {
        String raw = """
                Subject: Buy now
                Content-Type: multipart/mixed; boundary="outer"

                --outer
                Content-Type: multipart/alternative; boundary="inner"

                --inner
                Content-Type: text/html; charset=windows-1252
                Content-Transfer-Encoding: quoted-printable

                <html><head><title>T</title><style>p {color: red}</style>
                <script>var x =3D "hidden";</script></head>
                <body><p>Save&nbsp;50&#37; &amp; more</p><br>on <b>Vi<!-- x -->agra</b>=
                 =93today=94</body></html>
                --inner--
                --outer
                Content-Type: image/gif
                Content-Transfer-Encoding: base64

                R0lGODlhAQABAAAAACw=
                --outer--
                """;
        assertThat(EmailText.toText(raw)).isEqualTo("Subject: Buy now\n\nSave 50% & more on Viagra \u201ctoday\u201d");
    }

    @Test
    void missingSubjectGivesAnEmptySubjectLine() {
        String raw = "From: a@example.com\nTo: b@example.com\n\nJust the body.\n";
        assertThat(EmailText.toText(raw)).isEqualTo("Subject:\n\nJust the body.");
    }

    @Test
    void htmlSentAsPlainTextIsStripped() {
        String raw = "Subject: x\n\n<html><body><table><tr><td>Cheap</td><td>pills</td></tr></table></body></html>\n";
        assertThat(EmailText.toText(raw)).isEqualTo("Subject: x\n\nCheap pills");
    }

    @Test
    void attachedTextIsIgnoredWhenThereIsABody() {
        String raw = """
                Subject: Patch
                Content-Type: multipart/mixed; boundary="b"

                --b
                Content-Type: text/plain

                See the attached patch.
                --b
                Content-Type: text/plain; name="fix.diff"
                Content-Disposition: attachment; filename="fix.diff"

                --- a/x
                +++ b/x
                --b--
                """;
        assertThat(EmailText.toText(raw)).isEqualTo("Subject: Patch\n\nSee the attached patch.");
    }

    @Test
    void undeclaredCharsetFallsBackToUtf8ThenWindows1252AndHtmlMetaIsHonoured() {
        assertThat(EmailText.decode("né".getBytes(StandardCharsets.UTF_8), null)).isEqualTo("né");
        assertThat(EmailText.decode(new byte[] {'n', (byte) 0xE9, (byte) 0x93}, null)).isEqualTo("né\u201c");
        assertThat(EmailText.decode(new byte[] {'n', (byte) 0xE9}, "no-such-charset")).isEqualTo("né");
        byte[] big5 = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\">中文"
                .getBytes(java.nio.charset.Charset.forName("Big5"));
        assertThat(EmailText.decode(big5, null)).endsWith("中文");
    }

    @Test
    void longTextsAreCappedAndWhitespaceCollapsed() {
        String raw = "Subject: long\n\n" + "word \t\n ".repeat(10_000);
        String text = EmailText.toText(raw);
        assertThat(text).hasSizeLessThanOrEqualTo(EmailText.MAX_CHARS).startsWith("Subject: long\n\nword word");
        assertThat(text.substring("Subject: long\n\n".length())).doesNotContain("  ", "\n", "\t");
    }

    @Test
    void undecodableAndInvisibleCharactersAreDropped() {
        assertThat(EmailText.collapse("a\uFFFDb\u200Bc\u00A0 d")).isEqualTo("abc d");
    }
}
