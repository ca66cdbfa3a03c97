package dev.cachet.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.servlet.CacheMode;
import dev.cachet.servlet.internal.HttpCachePolicy.Use;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The policy alone: fixed times, no I/O. */
class HttpCachePolicyTest {
    static final long T0 = 1_700_000_000_000L;
    static final PolicySettings RFC = new PolicySettings(CacheMode.RFC, 600_000, Set.of(200), 60_000);
    static final PolicySettings DJANGO = new PolicySettings(CacheMode.DJANGO, 600_000, Set.of(200), 0);

    static HttpFields fields(String... nameValues) {
        HttpFields.Builder b = HttpFields.builder();
        for (int i = 0; i < nameValues.length; i += 2) {
            b.add(nameValues[i], nameValues[i + 1]);
        }
        return b.build();
    }

    static StoredResponse stored(PolicySettings s, int status, HttpFields h) {
        return new StoredResponse(status, h, new byte[] {1}, T0, T0, HttpCachePolicy.lifetime(s, status, h, T0), "http://x/",
                List.of(), List.of());
    }

    static String date(long millis) {
        return HttpDates.format(millis);
    }

    @Nested
    class Storing {
        @ParameterizedTest
        @ValueSource(strings = {"no-store", "nO-StOrE", "max-age=60, no-store", "private", "private=\"x\"", "max-age=60, private"})
        void refusesWhatHttpForbidsInBothModes(String cc) {
            for (PolicySettings s : List.of(RFC, DJANGO)) {
                assertThat(HttpCachePolicy.whyNotStorable(s, HttpFields.EMPTY, 200, fields("Cache-Control", cc), T0))
                        .as("%s %s", s.mode(), cc).isNotNull();
            }
        }

        @Test
        void djangoStoresA200WithoutHeadersForTheDefaultTimeoutAndNothingElse() {
            assertThat(HttpCachePolicy.whyNotStorable(DJANGO, HttpFields.EMPTY, 200, HttpFields.EMPTY, T0)).isNull();
            assertThat(HttpCachePolicy.lifetime(DJANGO, 200, HttpFields.EMPTY, T0)).isEqualTo(600_000);
            assertThat(HttpCachePolicy.whyNotStorable(DJANGO, HttpFields.EMPTY, 404, fields("Cache-Control", "max-age=60"), T0))
                    .contains("404");
            assertThat(HttpCachePolicy.whyNotStorable(DJANGO, HttpFields.EMPTY, 200, fields("Cache-Control", "max-age=0"), T0))
                    .isEqualTo("max-age=0");
            assertThat(HttpCachePolicy.lifetime(DJANGO, 200, fields("Cache-Control", "max-age=42"), T0)).isEqualTo(42_000);
        }

        @Test
        void rfcStoresNothingWithoutFreshnessOrValidators() {
            assertThat(HttpCachePolicy.lifetime(RFC, 200, HttpFields.EMPTY, T0)).isZero();
            assertThat(HttpCachePolicy.whyNotStorable(RFC, HttpFields.EMPTY, 201, HttpFields.EMPTY, T0)).isNotNull();
            assertThat(HttpCachePolicy.whyNotStorable(RFC, HttpFields.EMPTY, 201,
                    fields("Last-Modified", date(T0 - 100_000)), T0)).contains("heuristically");
            assertThat(HttpCachePolicy.whyNotStorable(RFC, HttpFields.EMPTY, 599, fields("Cache-Control", "max-age=60"), T0)).isNull();
        }

        @Test
        void setCookieVaryStarAndAuthorizationAreRefused() {
            for (PolicySettings s : List.of(RFC, DJANGO)) {
                assertThat(HttpCachePolicy.whyNotStorable(s, HttpFields.EMPTY, 200,
                        fields("Cache-Control", "max-age=60", "Set-Cookie", "a=b"), T0)).contains("Set-Cookie");
                assertThat(HttpCachePolicy.whyNotStorable(s, HttpFields.EMPTY, 200,
                        fields("Cache-Control", "max-age=60", "Vary", "Foo, *"), T0)).contains("Vary");
                HttpFields auth = fields("Authorization", "Basic eDp5");
                assertThat(HttpCachePolicy.whyNotStorable(s, auth, 200, fields("Cache-Control", "max-age=60"), T0))
                        .contains("Authorization");
                for (String ok : List.of("public, max-age=60", "s-maxage=60", "max-age=60, must-revalidate")) {
                    assertThat(HttpCachePolicy.whyNotStorable(s, auth, 200, fields("Cache-Control", ok), T0)).as(ok).isNull();
                }
            }
        }

        @Test
        void requestNoStoreAndMustUnderstand() {
            assertThat(HttpCachePolicy.whyNotStorable(RFC, fields("Cache-Control", "no-store"), 200,
                    fields("Cache-Control", "max-age=60"), T0)).contains("no-store");
            assertThat(HttpCachePolicy.whyNotStorable(RFC, HttpFields.EMPTY, 599,
                    fields("Cache-Control", "max-age=60, must-understand"), T0)).contains("must-understand");
            assertThat(HttpCachePolicy.whyNotStorable(RFC, HttpFields.EMPTY, 200,
                    fields("Cache-Control", "max-age=60, must-understand, no-store"), T0)).isNull();
        }
    }

    @Nested
    class Freshness {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "max-age=60|60000", "s-maxage=10, max-age=60|10000", "max-age=60, s-maxage=10|10000", "max-age=003600|3600000",
            "max-age=-1|0", "max-age='60'|0", "max-age=\"60\"|0", "foo=\"max-age=8\", max-age=1|1000",
            "max-age=1, foo=\"max-age=8\"|1000", "max-age=60, max-age=10|0", "max-age=99999999999|2147483647000"})
        void cacheControl(String cc, long lifetime) {
            assertThat(HttpCachePolicy.lifetime(RFC, 200, fields("Cache-Control", cc), T0)).isEqualTo(lifetime);
        }

        @Test
        void s_maxageOnTwoLinesIsStillOneList() {
            assertThat(HttpCachePolicy.lifetime(RFC, 200, fields("Cache-Control", "max-age=60", "Cache-Control", "s-maxage=5"), T0))
                    .isEqualTo(5000);
        }

        @Test
        void expiresMinusDateAndInvalidExpiresIsStale() {
            assertThat(HttpCachePolicy.lifetime(RFC, 200, fields("Date", date(T0), "Expires", date(T0 + 30_000)), T0)).isEqualTo(30_000);
            assertThat(HttpCachePolicy.lifetime(RFC, 200, fields("Expires", "0"), T0)).isZero();
            assertThat(HttpCachePolicy.lifetime(RFC, 200, fields("Date", date(T0), "Expires", date(T0 - 1000)), T0)).isZero();
            assertThat(HttpCachePolicy.lifetime(RFC, 200, fields("Cache-Control", "max-age=0", "Expires", date(T0 + 30_000)), T0)).isZero();
            // the other two date forms
            assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT"));
            assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).isEqualTo(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT"));
        }

        @Test
        void heuristicOnlyForHeuristicStatusesOrPublic() {
            HttpFields lm = fields("Date", date(T0), "Last-Modified", date(T0 - 100_000));
            assertThat(HttpCachePolicy.lifetime(RFC, 200, lm, T0)).isEqualTo(10_000);
            assertThat(HttpCachePolicy.lifetime(RFC, 404, lm, T0)).isEqualTo(10_000);
            for (int status : new int[] {201, 202, 403, 502, 503, 504, 599}) {
                assertThat(HttpCachePolicy.lifetime(RFC, status, lm, T0)).as("status %d", status).isZero();
            }
            assertThat(HttpCachePolicy.lifetime(RFC, 599, fields("Date", date(T0), "Last-Modified", date(T0 - 100_000),
                    "Cache-Control", "public"), T0)).isEqualTo(10_000);
        }

        @ParameterizedTest
        @ValueSource(strings = {"abc", "-1", "1.5", "old, 0", "0, old", "0, 0", "1;a=b", "1;1"})
        void anAgeThatIsNotOneIntegerMakesItStale(String age) {
            StoredResponse r = stored(RFC, 200, fields("Cache-Control", "max-age=3600", "Age", age));
            assertThat(HttpCachePolicy.use(RFC, HttpFields.EMPTY, r, T0)).isEqualTo(Use.REVALIDATE);
        }

        @Test
        void twoAgeLinesAreStaleAndOneIsAdded() {
            StoredResponse two = stored(RFC, 200, fields("Cache-Control", "max-age=3600", "Age", "0", "Age", "0"));
            assertThat(HttpCachePolicy.use(RFC, HttpFields.EMPTY, two, T0)).isEqualTo(Use.REVALIDATE);
            StoredResponse aged = stored(RFC, 200, fields("Cache-Control", "max-age=3600", "Age", "3000", "Date", date(T0)));
            assertThat(HttpCachePolicy.currentAge(aged, T0 + 5_000)).isEqualTo(3_005_000);
            assertThat(HttpCachePolicy.use(RFC, HttpFields.EMPTY, aged, T0 + 599_000)).isEqualTo(Use.FRESH);
            assertThat(HttpCachePolicy.use(RFC, HttpFields.EMPTY, aged, T0 + 601_000)).isEqualTo(Use.REVALIDATE);
        }

        @Test
        void apparentAgeFromASlowDate() {
            StoredResponse r = new StoredResponse(200, fields("Date", date(T0 - 20_000), "Cache-Control", "max-age=10"),
                    new byte[0], T0, T0, 10_000, "u", List.of(), List.of());
            assertThat(HttpCachePolicy.currentAge(r, T0)).isEqualTo(20_000);
            assertThat(HttpCachePolicy.use(RFC, HttpFields.EMPTY, r, T0)).isEqualTo(Use.REVALIDATE);
        }
    }

    @Nested
    class Using {
        @Test
        void freshThenStale() {
            StoredResponse r = stored(RFC, 200, fields("Cache-Control", "max-age=10"));
            assertThat(HttpCachePolicy.use(RFC, HttpFields.EMPTY, r, T0 + 9_999)).isEqualTo(Use.FRESH);
            assertThat(HttpCachePolicy.use(RFC, HttpFields.EMPTY, r, T0 + 10_000)).isEqualTo(Use.REVALIDATE);
        }

        @Test
        void responseNoCacheAlwaysRevalidates() {
            StoredResponse r = stored(RFC, 200, fields("Cache-Control", "max-age=3600, No-CaChE", "ETag", "\"a\""));
            assertThat(HttpCachePolicy.use(RFC, HttpFields.EMPTY, r, T0)).isEqualTo(Use.REVALIDATE);
        }

        @Test
        void requestDirectives() {
            StoredResponse r = stored(RFC, 200, fields("Cache-Control", "max-age=100"));
            assertThat(HttpCachePolicy.use(RFC, fields("Cache-Control", "no-cache"), r, T0)).isEqualTo(Use.REVALIDATE);
            assertThat(HttpCachePolicy.use(RFC, fields("Pragma", "no-cache"), r, T0)).isEqualTo(Use.REVALIDATE);
            assertThat(HttpCachePolicy.use(RFC, fields("Cache-Control", "max-age=0"), r, T0 + 1000)).isEqualTo(Use.REVALIDATE);
            assertThat(HttpCachePolicy.use(RFC, fields("Cache-Control", "max-age=5"), r, T0 + 1000)).isEqualTo(Use.FRESH);
            assertThat(HttpCachePolicy.use(RFC, fields("Cache-Control", "min-fresh=95"), r, T0 + 10_000)).isEqualTo(Use.REVALIDATE);
            assertThat(HttpCachePolicy.use(RFC, fields("Cache-Control", "max-stale=50"), r, T0 + 140_000)).isEqualTo(Use.STALE_ALLOWED);
            assertThat(HttpCachePolicy.use(RFC, fields("Cache-Control", "max-stale=50"), r, T0 + 160_000)).isEqualTo(Use.REVALIDATE);
            assertThat(HttpCachePolicy.use(RFC, fields("Cache-Control", "max-stale"), r, T0 + 999_000)).isEqualTo(Use.STALE_ALLOWED);
            // Django ignores request directives, as Django does
            StoredResponse d = stored(DJANGO, 200, HttpFields.EMPTY);
            assertThat(HttpCachePolicy.use(DJANGO, fields("Cache-Control", "no-cache"), d, T0)).isEqualTo(Use.FRESH);
        }

        @Test
        void mustRevalidateProxyRevalidateAndSMaxageForbidStale() {
            for (String cc : List.of("max-age=1, must-revalidate", "max-age=1, proxy-revalidate", "s-maxage=1")) {
                StoredResponse r = stored(RFC, 200, fields("Cache-Control", cc + ", stale-while-revalidate=60, stale-if-error=60"));
                assertThat(HttpCachePolicy.use(RFC, fields("Cache-Control", "max-stale"), r, T0 + 2000)).as(cc).isEqualTo(Use.REVALIDATE);
                assertThat(HttpCachePolicy.staleOnError(RFC, HttpFields.EMPTY, r, 503, T0 + 2000)).as(cc).isFalse();
                assertThat(HttpCachePolicy.staleOnError(RFC, HttpFields.EMPTY, r, 502, T0 + 2000)).as(cc).isFalse();
            }
        }

        @Test
        void staleWhileRevalidateAndStaleIfError() {
            StoredResponse r = stored(RFC, 200, fields("Cache-Control", "max-age=1, stale-while-revalidate=10, stale-if-error=20"));
            assertThat(HttpCachePolicy.use(RFC, HttpFields.EMPTY, r, T0 + 5_000)).isEqualTo(Use.STALE_WHILE_REVALIDATE);
            assertThat(HttpCachePolicy.use(RFC, HttpFields.EMPTY, r, T0 + 12_000)).isEqualTo(Use.REVALIDATE);
            assertThat(HttpCachePolicy.staleOnError(RFC, HttpFields.EMPTY, r, 503, T0 + 20_000)).isTrue();
            assertThat(HttpCachePolicy.staleOnError(RFC, HttpFields.EMPTY, r, 500, T0 + 22_000)).isFalse();
            assertThat(HttpCachePolicy.staleOnError(RFC, HttpFields.EMPTY, r, 404, T0 + 2_000)).isFalse();
            StoredResponse plain = stored(RFC, 200, fields("Cache-Control", "max-age=1"));
            assertThat(HttpCachePolicy.staleOnError(RFC, HttpFields.EMPTY, plain, 503, T0 + 2_000)).isFalse();
            assertThat(HttpCachePolicy.staleOnError(RFC, HttpFields.EMPTY, plain, 502, T0 + 2_000)).as("not without permission").isFalse();
            assertThat(HttpCachePolicy.staleOnError(DJANGO, HttpFields.EMPTY, r, 502, T0 + 2_000)).isTrue();
            assertThat(HttpCachePolicy.staleOnError(RFC, fields("Cache-Control", "stale-if-error=5"), plain, 500, T0 + 2_000)).isTrue();
            assertThat(HttpCachePolicy.retentionMillis(RFC, r, T0)).isEqualTo(1_000 + 60_000);
            assertThat(HttpCachePolicy.retentionMillis(DJANGO, r, T0)).isEqualTo(1_000 + 20_000);
        }

        @Test
        void authorizationNeedsAShareableResponse() {
            HttpFields auth = fields("Authorization", "Bearer t");
            assertThat(HttpCachePolicy.use(RFC, auth, stored(RFC, 200, fields("Cache-Control", "max-age=60")), T0))
                    .isEqualTo(Use.UNUSABLE);
            assertThat(HttpCachePolicy.use(RFC, auth, stored(RFC, 200, fields("Cache-Control", "public, max-age=60")), T0))
                    .isEqualTo(Use.FRESH);
        }
    }

    @Nested
    class VaryAndConditionals {
        @ParameterizedTest
        @ValueSource(strings = {"*", "*, *", ", *", "*, Foo", "Foo, *", " * "})
        void starMatchesNothing(String vary) {
            assertThat(HttpCachePolicy.varyNames(fields("Vary", vary))).isNull();
        }

        @Test
        void namesAreCaseInsensitiveAcrossLinesWithoutRepeats() {
            assertThat(HttpCachePolicy.varyNames(fields("Vary", "Foo, bar", "Vary", "FOO,Baz,"))).containsExactly("foo", "bar", "baz");
            assertThat(HttpCachePolicy.varyNames(fields("Vary", "Foo", "Vary", "*"))).isNull();
        }

        @Test
        void valuesAreNormalizedListsAndAbsenceDiffersFromEmpty() {
            assertThat(HttpCachePolicy.normalizedValue(fields("Accept", "a,b"), "accept"))
                    .isEqualTo(HttpCachePolicy.normalizedValue(fields("accept", " a ,  b"), "Accept"))
                    .isEqualTo(HttpCachePolicy.normalizedValue(fields("Accept", "a", "Accept", "b"), "accept"))
                    .isEqualTo("a, b");
            assertThat(HttpCachePolicy.normalizedValue(HttpFields.EMPTY, "accept")).isNull();
            assertThat(HttpCachePolicy.normalizedValue(fields("Accept", ""), "accept")).isEmpty();
        }

        @Test
        void notModifiedAnswers() {
            StoredResponse r = stored(RFC, 200, fields("ETag", "\"abc\"", "Last-Modified", date(T0 - 60_000), "Cache-Control", "max-age=60"));
            assertThat(HttpCachePolicy.notModified(fields("If-None-Match", "\"abc\""), r)).isTrue();
            assertThat(HttpCachePolicy.notModified(fields("If-None-Match", "W/\"abc\""), r)).isTrue();
            assertThat(HttpCachePolicy.notModified(fields("If-None-Match", "\"x\", \"abc\""), r)).isTrue();
            assertThat(HttpCachePolicy.notModified(fields("If-None-Match", "*"), r)).isTrue();
            // If-None-Match takes precedence over a matching If-Modified-Since
            assertThat(HttpCachePolicy.notModified(fields("If-None-Match", "\"x\"", "If-Modified-Since", date(T0)), r)).isFalse();
            assertThat(HttpCachePolicy.notModified(fields("If-Modified-Since", date(T0)), r)).isTrue();
            assertThat(HttpCachePolicy.notModified(fields("If-Modified-Since", date(T0 - 120_000)), r)).isFalse();
            assertThat(HttpCachePolicy.notModifiedFields(r.headers()).has("ETag")).isTrue();
        }

        @Test
        void a304UpdatesHeadersButNotTheBodysOwn() {
            HttpFields stored = fields("ETag", "\"a\"", "Content-Type", "text/plain", "Content-Length", "5", "X-Test", "old",
                    "Content-Encoding", "gzip");
            HttpFields merged = HttpCachePolicy.mergeNotModified(stored, fields("ETag", "\"b\"", "Content-Type", "text/html",
                    "Content-Length", "0", "X-Test", "new", "Content-Encoding", "br", "Connection", "close"));
            assertThat(merged.first("ETag")).isEqualTo("\"a\"");
            assertThat(merged.first("Content-Length")).isEqualTo("5");
            assertThat(merged.first("Content-Encoding")).isEqualTo("gzip");
            assertThat(merged.all("X-Test")).containsExactly("new");
            assertThat(merged.first("Content-Type")).isEqualTo("text/html");
            assertThat(merged.has("Connection")).isFalse();
        }

        @Test
        void hopByHopAndConnectionListedFieldsAreNotStored() {
            HttpFields kept = HttpCachePolicy.storedFields(fields("Connection", "close, X-Secret", "X-Secret", "s",
                    "Keep-Alive", "1", "Transfer-Encoding", "chunked", "Proxy-Authenticate", "x", "X-Ok", "y", "Age", "3"));
            assertThat(kept.lines()).extracting(l -> l[0]).containsExactly("X-Ok", "Age");
        }
    }

    @Nested
    class Keys {
        @Test
        void urlsNormalizeEscapesAndHostButKeepQueryOrder() {
            assertThat(PageKeys.normalizeUrl("HTTP", "Example.COM", 80, "/a%7eb/%2f?q=%41&r=%2a"))
                    .isEqualTo("http://example.com/a~b/%2F?q=A&r=%2A");
            assertThat(PageKeys.normalizeUrl("http", "h", 8080, "/?a=1&b=2"))
                    .isNotEqualTo(PageKeys.normalizeUrl("http", "h", 8080, "/?b=2&a=1"));
        }

        @Test
        void variantKeysHaveNoDelimiterCollisionsAndABoundedLength() {
            String a = PageKeys.variantKey("p.", "u", "g", List.of("x", "y"), java.util.Arrays.asList("ab", "c"));
            String b = PageKeys.variantKey("p.", "u", "g", List.of("x", "y"), java.util.Arrays.asList("a", "bc"));
            String absent = PageKeys.variantKey("p.", "u", "g", List.of("x"), java.util.Arrays.asList((String) null));
            String empty = PageKeys.variantKey("p.", "u", "g", List.of("x"), List.of(""));
            assertThat(a).isNotEqualTo(b);
            assertThat(absent).isNotEqualTo(empty);
            String huge = PageKeys.variantKey("p.", "u".repeat(100_000), "g", List.of("cookie"), List.of("c".repeat(1_000_000)));
            assertThat(huge).hasSizeLessThanOrEqualTo(2 + 2 + 43);
        }
    }

    @Test
    void storedResponsesRoundTripAndDamageReadsAsAbsent() {
        StoredResponse r = new StoredResponse(200, fields("Content-Type", "text/plain", "X", "é"), "hello".getBytes(),
                T0, T0 + 5, 60_000, "http://h/p", List.of("accept", "cookie"), java.util.Arrays.asList("a", null));
        byte[] bytes = r.encode();
        StoredResponse back = StoredResponse.decode(bytes);
        assertThat(back.headers().toString()).isEqualTo(r.headers().toString());
        assertThat(back.body()).isEqualTo(r.body());
        assertThat(back.varyValues()).containsExactly("a", null);
        assertThat(back.lifetimeMillis()).isEqualTo(60_000);
        byte[] flipped = bytes.clone();
        flipped[bytes.length - 12] ^= 1; // a body byte
        assertThat(StoredResponse.decode(flipped)).isNull();
        assertThat(StoredResponse.decode(java.util.Arrays.copyOf(bytes, bytes.length - 3))).isNull();
        assertThat(StoredResponse.decode("not a page".getBytes())).isNull();
    }
}
