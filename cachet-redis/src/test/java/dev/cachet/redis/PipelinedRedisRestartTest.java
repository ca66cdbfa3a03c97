package dev.cachet.redis;

/** {@link RedisRestartTest} through Lettuce's pipelined connection ({@code transport=pipelined}). */
class PipelinedRedisRestartTest extends RedisRestartTest {
    @Override
    String transport() {
        return "pipelined";
    }
}
