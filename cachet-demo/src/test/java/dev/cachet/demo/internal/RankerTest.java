package dev.cachet.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankerTest {
    @Test
    void theSameSeedGivesTheSameDataAndRanking() {
        Dataset a = new Dataset(7, Dataset.Scale.TINY);
        Dataset b = new Dataset(7, Dataset.Scale.TINY);
        Dataset.User ua = a.users().get(0);
        List<Ranker.Ranked> ra = Ranker.rank(a, ua);
        List<Ranker.Ranked> rb = Ranker.rank(b, b.user(ua.name()));
        assertThat(ra).isNotEmpty().isEqualTo(rb);
        assertThat(Ranker.rank(new Dataset(8, Dataset.Scale.TINY), new Dataset(8, Dataset.Scale.TINY).users().get(0)))
                .isNotEqualTo(ra);
    }

    @Test
    void linksComeBestFirstAndEveryLinkOfTheUsersFeedsIsRanked() {
        Dataset d = new Dataset(42, Dataset.Scale.TINY);
        Dataset.User u = d.users().get(0);
        List<Ranker.Ranked> ranked = Ranker.rank(d, u);
        java.util.Set<Integer> expected = new java.util.HashSet<>();
        for (int f : u.feeds()) {
            for (int[] entry : d.entries(f)) {
                for (int link : entry) {
                    expected.add(link);
                }
            }
        }
        assertThat(ranked).extracting(Ranker.Ranked::link).containsExactlyInAnyOrderElementsOf(expected);
        for (int i = 1; i < ranked.size(); i++) {
            assertThat(ranked.get(i - 1).score()).isGreaterThanOrEqualTo(ranked.get(i).score());
        }
        // a link the user's feeds mention from several feeds outranks the median link, mentioned by one
        Ranker.Ranked top = ranked.get(0);
        assertThat(top.feeds()).isGreaterThan(1);
    }

    @Test
    void addingAFeedChangesTheRankingAndTheDataVersion() {
        Dataset d = new Dataset(42, Dataset.Scale.TINY);
        Dataset.User u = d.users().get(0);
        List<Ranker.Ranked> before = Ranker.rank(d, u);
        int feed = Views.suggestions(d, u).get(0).id();
        Dataset.User after = d.addFeed(u.name(), feed);
        assertThat(after.dataVersion()).isEqualTo(u.dataVersion() + 1);
        assertThat(after.feeds()).contains(feed).hasSize(u.feeds().size() + 1);
        assertThat(Ranker.rank(d, after).size()).isGreaterThanOrEqualTo(before.size());
        assertThat(Ranker.rank(d, after)).isNotEqualTo(before);
        assertThatThrownBy(() -> d.addFeed(u.name(), feed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already reads feed " + feed);
        assertThatThrownBy(() -> d.addFeed("nobody", 1)).hasMessageContaining("no user 'nobody'");
        assertThatThrownBy(() -> d.addFeed(u.name(), 10_000)).hasMessageContaining("no feed 10000");
    }

    @Test
    void aFeedUpdateChangesTheDataOfItsReadersAndAlwaysOfTheFrequentOnes() {
        Dataset d = new Dataset(42, Dataset.Scale.TINY);
        List<Dataset.User> changed = d.updateFeeds();
        assertThat(changed).isNotEmpty().allSatisfy(u -> assertThat(u.dataVersion()).isEqualTo(2));
        assertThat(changed).extracting(Dataset.User::name).containsAll(d.users().stream()
                .filter(u -> u.kind() == Dataset.Kind.FREQUENT).map(Dataset.User::name).toList());
        // the same update on the same seed changes the same users
        assertThat(new Dataset(42, Dataset.Scale.TINY).updateFeeds()).extracting(Dataset.User::name)
                .isEqualTo(changed.stream().map(Dataset.User::name).toList());
    }

    @Test
    void statsSummariesAreNearestRankPercentiles() {
        List<Long> micros = new java.util.ArrayList<>();
        for (long i = 1; i <= 100; i++) {
            micros.add(i * 1000);
        }
        DemoStats.Summary s = DemoStats.summary(micros);
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50()).isEqualTo(50.0);
        assertThat(s.p99()).isEqualTo(99.0);
        assertThat(s.max()).isEqualTo(100.0);
        assertThat(DemoStats.summary(List.of()).count()).isZero();
    }
}
