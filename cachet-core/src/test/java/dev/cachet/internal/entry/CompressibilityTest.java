package dev.cachet.internal.entry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CompressibilityTest {
    private static final String WORDS = "the of and to in is you that it he was for on are as with his they at be this"
            + " have from or one had by word but not what all were we when your can said there use an each which she do"
            + " how their if will up other about out many then them these so some her would make like him into time has"
            + " look two more write go see number no way could people my than first water been call who its now find";

    /** About 100 KB of each kind of payload a cache meets, and whether deflating it pays. */
    private static Map<String, byte[]> corpora() throws Exception {
        Random r = new Random(7);
        Map<String, byte[]> c = new LinkedHashMap<>();
        byte[] random = new byte[100_000];
        r.nextBytes(random);
        c.put("random", random);
        c.put("base64", text(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"));
        c.put("hex", text(r, "0123456789abcdef"));
        String[] words = WORDS.split(" ");
        StringBuilder prose = new StringBuilder();
        while (prose.length() < 100_000) {
            prose.append(words[r.nextInt(words.length)]).append(r.nextInt(12) == 0 ? ". " : " ");
        }
        c.put("words", prose.toString().getBytes(StandardCharsets.US_ASCII));
        StringBuilder json = new StringBuilder();
        for (int i = 0; json.length() < 100_000; i++) {
            json.append("{\"id\":").append(i).append(",\"name\":\"user").append(i).append("\",\"active\":true},");
        }
        c.put("json", json.toString().getBytes(StandardCharsets.US_ASCII));
        StringBuilder html = new StringBuilder();
        for (int i = 0; html.length() < 100_000; i++) {
            html.append("<tr class=\"row\"><td>").append(i * 7919 % 10007).append("</td><td><a href=\"/u/").append(i)
                    .append("\">").append(words[r.nextInt(words.length)]).append("</a></td></tr>\n");
        }
        c.put("html", html.toString().getBytes(StandardCharsets.US_ASCII));
        StringBuilder cyrillic = new StringBuilder();
        while (cyrillic.length() < 50_000) {
            cyrillic.append("Привет мир, это тест номер ").append(r.nextInt(100_000)).append(". ");
        }
        c.put("cyrillic", cyrillic.toString().getBytes(StandardCharsets.UTF_8));
        c.put("zeros", new byte[100_000]);
        int[] ints = new int[25_000];
        Arrays.setAll(ints, i -> r.nextInt(1000));
        ByteArrayOutputStream serialized = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(serialized)) {
            out.writeObject(ints);
        }
        c.put("serialized ints", serialized.toByteArray());
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(gzipped)) {
            gz.write(c.get("words"));
        }
        c.put("gzipped", gzipped.toByteArray());
        return c;
    }

    private static byte[] text(Random r, String alphabet) {
        byte[] b = new byte[100_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
        }
        return b;
    }

    private static double deflated(byte[] b) {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try {
            d.setInput(b);
            d.finish();
            byte[] out = new byte[b.length + 1024];
            int n = 0;
            while (!d.finished()) {
                n += d.deflate(out, n, out.length - n);
            }
            return (double) n / b.length;
        } finally {
            d.end();
        }
    }

    @Test
    void theGuessIsWithinATenthOfDeflatesOwnRatio() throws Exception {
        for (Map.Entry<String, byte[]> e : corpora().entrySet()) {
            byte[] b = e.getValue();
            assertThat(Compressibility.ratio(b, 0, b.length)).as(e.getKey()).isCloseTo(deflated(b),
                    org.assertj.core.data.Offset.offset(0.1));
        }
    }

    @Test
    void decidesAsDeflatingTheWholePayloadWould() throws Exception {
        Map<String, byte[]> c = corpora();
        for (String worth : new String[] {"words", "json", "html", "cyrillic", "zeros", "hex", "serialized ints"}) {
            assertThat(Compressibility.worthDeflating(c.get(worth), 0, c.get(worth).length)).as(worth).isTrue();
        }
        for (String not : new String[] {"random", "base64", "gzipped"}) {
            assertThat(Compressibility.worthDeflating(c.get(not), 0, c.get(not).length)).as(not).isFalse();
        }
    }

    @Test
    void readsOnlyTheGivenRange() throws Exception {
        byte[] json = corpora().get("json");
        byte[] random = corpora().get("random");
        // random bytes after zeros: the range at the offset is what is judged, not the zeros before it
        byte[] both = new byte[4096 + random.length];
        System.arraycopy(random, 0, both, 4096, random.length);
        assertThat(Compressibility.worthDeflating(both, 4096, random.length)).isFalse();
        assertThat(Compressibility.worthDeflating(both, 0, 4096)).isTrue();
        // JSON followed by random bytes beyond the range: only the JSON is read
        byte[] tail = Arrays.copyOf(json, 3000 + random.length);
        System.arraycopy(random, 0, tail, 3000, random.length);
        assertThat(Compressibility.ratio(tail, 0, 3000)).isLessThan(0.3);
    }

    @Test
    void tinyAndEmptyRangesAreSafe() {
        byte[] b = {1, 2, 3};
        assertThat(Compressibility.ratio(b, 0, 0)).isZero();
        assertThat(Compressibility.ratio(b, 1, 2)).isBetween(0.0, 1.0);
        assertThat(Compressibility.ratio(b, 0, 3)).isBetween(0.0, 1.0);
    }
}
