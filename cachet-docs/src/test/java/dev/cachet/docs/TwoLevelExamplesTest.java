package dev.cachet.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.TwoLevel;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwoLevelExamplesTest {
    @Test
    void theInProcessExampleDoesWhatItsCommentsSay() {
        List<Object> r = TwoLevelExamples.inOneJvm();
        assertThat(r.get(0)).isEqualTo("paid");
        assertThat(((TwoLevel.Stats) r.get(1)).localEntries()).as("b holds the new value locally").isEqualTo(1);
    }
}
