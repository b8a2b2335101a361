package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KnownHeaderNamesTest {
    private static final String[] SPELLINGS = {"Host", "host", "Content-Length", "content-length", "ETag", "Etag", "TE",
        "X-Forwarded-For", "Sec-WebSocket-Key", "Sec-WebSocket-Accept", "A"};
    private final KnownHeaderNames names = KnownHeaderNames.of(SPELLINGS);

    @Test
    void eachNameIsFoundAsItsOwnConstantWhereverItStandsInALine() {
        for (String spelling : SPELLINGS) {
            byte[] line = ("xx" + spelling + ": v").getBytes(StandardCharsets.US_ASCII);
            AsciiString found = names.find(line, 2, spelling.length());
            assertThat((CharSequence) found).isNotNull().hasToString(spelling);
            assertThat((Object) names.find(line, 2, spelling.length())).isSameAs(found);
            assertThat((CharSequence) names.lowercase(found)).hasToString(spelling.toLowerCase());
            assertThat((Object) names.lowercase(found)).isSameAs(names.lowercase(found));
        }
    }

    @Test
    void otherSpellingsAndEmptyNamesAreNotFound() {
        for (String other : new String[] {"HOST", "Hosts", "Content-Lengt", "content-Length", "ETAG", "B", "X-Forwarded-Fox"}) {
            assertThat((Object) names.find(other.getBytes(StandardCharsets.US_ASCII), 0, other.length())).as(other).isNull();
        }
        assertThat((Object) names.find(": no name".getBytes(StandardCharsets.US_ASCII), 0, 0)).isNull();
        assertThat((CharSequence) names.lowercase("X-Other")).hasToString("x-other");
    }
}
