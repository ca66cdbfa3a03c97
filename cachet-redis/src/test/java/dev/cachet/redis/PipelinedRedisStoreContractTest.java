package dev.cachet.redis;

/** {@link RedisStoreContractTest} through Lettuce's pipelined connection ({@code transport=pipelined}). */
class PipelinedRedisStoreContractTest extends RedisStoreContractTest {
    @Override
    protected String location() {
        return super.location() + "?transport=pipelined";
    }
}
