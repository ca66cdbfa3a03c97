package dev.cachet.memcached;

/** {@link MalformedRepliesTest} on the pipelined transport ({@code transport=pipelined}). */
class PipelinedMalformedRepliesTest extends MalformedRepliesTest {
    @Override
    String transport() {
        return "pipelined";
    }
}
