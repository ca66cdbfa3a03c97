package dev.cachet.memcached;

/** {@link NodeFailureTest} on the pipelined transport ({@code transport=pipelined}). */
class PipelinedNodeFailureTest extends NodeFailureTest {
    @Override
    String transport() {
        return "pipelined";
    }
}
